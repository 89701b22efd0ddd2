using FocusFunctions.Core.Reports;
using static FocusFunctions.Core.Tests.Reports.ReportSamples;

namespace FocusFunctions.Core.Tests.Reports;

public sealed class SlideVerdictTests
{
    [Fact]
    public void For_OutOfFocusAndFailedTiles_RescanFirstAndReviewNamed()
    {
        var verdict = Mixed().Verdict;

        Assert.Equal((SlideVerdictKind.Rescan, 1, 1), (verdict.Kind, verdict.RescanCount, verdict.ReviewCount));
        Assert.Equal("Rescan 1 tile, review 1", verdict.Headline);
    }

    [Fact]
    public void For_FailedTilesOnly_Review()
    {
        var verdict = SlideVerdict.For([Tile("a", 0, 0, FocusVerdict.InFocus, 0.2), Tile("b", 1, 0, FocusVerdict.Failed, null), Tile("c", 2, 0, FocusVerdict.Failed, null)]);

        Assert.Equal("Review 2 tiles", verdict.Headline);
    }

    [Fact]
    public void For_SharpAndBackgroundTiles_Pass()
    {
        var verdict = SlideVerdict.For([Tile("a", 0, 0, FocusVerdict.InFocus, 1.9), Tile("b", 1, 0, FocusVerdict.NoTissue, null)]);

        Assert.Equal((SlideVerdictKind.Pass, "Pass"), (verdict.Kind, verdict.Headline));
    }

    [Fact]
    public void Rule_NamesTheThreshold()
    {
        Assert.Contains("above 1.5 µm", SlideVerdict.Rule(1.5));
    }
}
