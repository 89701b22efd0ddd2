using FocusFunctions.Core.Scoring;
using FocusFunctions.Core.Processing;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class ResultRowsTests
{
    [Fact]
    public void FormatPatchDefocus_ScoredAndUnscoredPatches_RoundedWithEmptyGaps()
    {
        var grid = new PatchGrid(3, 1, 320, [new PatchScore(0, 0, 0.9, 0.123), new PatchScore(1, 0, 0.1, null), new PatchScore(2, 0, 0.9, 2.5)]);

        string? text = ResultRows.FormatPatchDefocus(grid);

        Assert.Equal("0.12,,2.5", text);
        Assert.Equal([0.12, null, 2.5], ResultRows.ParsePatchDefocus(text));
    }

    [Fact]
    public void FormatPatchDefocus_MoreThanAPropertyHolds_LeftOut()
    {
        var patches = Enumerable.Range(0, 10_000).Select(i => new PatchScore(i % 100, i / 100, 1, 12.345)).ToList();

        Assert.Null(ResultRows.FormatPatchDefocus(new PatchGrid(100, 100, 320, patches)));
    }

    [Fact]
    public void FormatPatchJudgements_PatchIntervals_OneLetterPerPatchAtTheThreshold()
    {
        var grid = new PatchGrid(4, 1, 320,
            [new PatchScore(0, 0, 0.9, 0.5, 0.1, 2.0), new PatchScore(1, 0, 0.1, null), new PatchScore(2, 0, 0.9, 3, 2.01, 4), new PatchScore(3, 0, 0.9, 2, 1, 3)]);

        string? text = ResultRows.FormatPatchJudgements(grid, 2.0);

        Assert.Equal("I.OU", text);
        Assert.Equal([PatchJudgement.In, null, PatchJudgement.Out, PatchJudgement.Undecided], ResultRows.ParsePatchJudgements(text));
    }

    [Fact]
    public void FormatPatchJudgements_ModelWithoutScale_Null()
    {
        var grid = new PatchGrid(2, 1, 320, [new PatchScore(0, 0, 0.9, 0.5), new PatchScore(1, 0, 0.9, 3)]);

        Assert.Null(ResultRows.FormatPatchJudgements(grid, 2.0));
        Assert.Empty(ResultRows.ParsePatchJudgements(null));
    }

    [Theory]
    [InlineData(FocusVerdict.InFocus, TileLocation.Tiles)]
    [InlineData(FocusVerdict.NoTissue, TileLocation.Tiles)]
    [InlineData(FocusVerdict.Indeterminate, TileLocation.Tiles)]
    [InlineData(FocusVerdict.OutOfFocus, TileLocation.Rejected)]
    [InlineData(FocusVerdict.Failed, TileLocation.Quarantine)]
    public void DestinationFor_Verdict_Container(FocusVerdict verdict, TileLocation expected)
    {
        Assert.Equal(expected, ResultRows.DestinationFor(verdict));
    }

    [Fact]
    public void Create_Score_RowCarriesScoreKeyAndState()
    {
        var score = new TileScore
        {
            Verdict = FocusVerdict.OutOfFocus, DefocusMicrons = 3.2, WorstPatchMicrons = 4.1, OutOfFocusFraction = 1, TissueFraction = 0.8,
            PatchCount = 4, Width = 512, Height = 512, MicronsPerPixel = 0.5, ThresholdMicrons = 2, ModelName = "m", ModelVersion = "v1",
        };
        var key = new TileKey("slide", "x001_y002.png", "slide", 1, 2);
        var at = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

        var row = ResultRows.Create("slide/x001_y002.png", key, "\"etag\"", score, TileStage.Scored, TileLocation.Rejected, at, 42);

        Assert.Equal(("slide", "x001_y002.png", "slide/x001_y002.png", "\"etag\""), (row.PartitionKey, row.RowKey, row.BlobName, row.SourceETag));
        Assert.Equal((TileStage.Scored, TileLocation.Rejected, FocusVerdict.OutOfFocus), (row.StageValue, row.LocationValue, row.VerdictValue));
        Assert.Equal((3.2, 4.1, 1, 2, 42L, at), (row.DefocusMicrons, row.WorstPatchMicrons, row.TileX, row.TileY, row.DurationMs, row.ScoredAtUtc));
        Assert.Null(row.PatchDefocus);
    }
}
