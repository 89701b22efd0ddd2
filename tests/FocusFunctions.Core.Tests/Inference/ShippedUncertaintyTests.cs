namespace FocusFunctions.Core.Tests.Inference;

/// <summary>
/// Issue 25 with the shipped model (1.2.0, focusnet_laplace): tiles that hold no focus information are
/// Indeterminate with an interval across the threshold, real sharp tissue InFocus and defocused tissue OutOfFocus,
/// each with an interval on its own side of 2 µm.
/// </summary>
public sealed class ShippedUncertaintyTests(ShippedModel shipped) : IClassFixture<ShippedModel>
{
    public static TheoryData<string> Stains => new(TestTiles.Stains.Keys);

    [Fact]
    public void Card_NamesTheScaleOutputAndItsLevel()
    {
        Assert.True(shipped.Model.PredictsScale);
        Assert.Equal("defocus_scale_um", shipped.Model.Card.ScaleOutputName);
        Assert.Equal(0.8, shipped.Model.Card.IntervalLevel);
    }

    [Theory]
    [MemberData(nameof(Stains))]
    public void Score_FlatStainWithNoiseAndJpeg_IndeterminateWithAnIntervalAcrossTheThreshold(string stain)
    {
        var score = shipped.Score(TestTiles.FlatStain(stain));

        Assert.Equal(FocusVerdict.Indeterminate, score.Verdict);
        Assert.Contains("could be judged at the 2 µm threshold", score.VerdictReason);
        Assert.True(score.DefocusLowMicrons < 2 && score.DefocusHighMicrons > 2, $"interval {score.DefocusLowMicrons}–{score.DefocusHighMicrons} µm");
    }

    [Fact]
    public void Score_SharpTissue_InFocusWithAnIntervalBelowTheThreshold() => IntervalVerdicts.AssertInFocusBelow(shipped.Score(TestTiles.Sharp));

    [Fact]
    public void Score_DefocusedTissue_OutOfFocusWithAnIntervalAboveTheThreshold() => IntervalVerdicts.AssertOutOfFocusAbove(shipped.Score(TestTiles.Defocused));
}
