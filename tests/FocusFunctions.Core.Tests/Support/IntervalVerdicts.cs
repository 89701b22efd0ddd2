namespace FocusFunctions.Core.Tests.Support;

/// <summary>What a model with a scale output must say of clear tiles, whichever model it is (the fixture or the shipped one).</summary>
internal static class IntervalVerdicts
{
    public static void AssertInFocusBelow(TileScore score, double thresholdMicrons = 2)
    {
        Assert.Equal(FocusVerdict.InFocus, score.Verdict);
        Assert.Null(score.VerdictReason);
        Assert.True(score.DefocusLowMicrons <= score.DefocusMicrons && score.DefocusMicrons <= score.DefocusHighMicrons);
        Assert.True(score.DefocusHighMicrons <= thresholdMicrons, $"interval {score.DefocusLowMicrons}–{score.DefocusHighMicrons} µm");
    }

    public static void AssertOutOfFocusAbove(TileScore score, double thresholdMicrons = 2)
    {
        Assert.Equal(FocusVerdict.OutOfFocus, score.Verdict);
        Assert.True(score.DefocusLowMicrons > thresholdMicrons, $"interval {score.DefocusLowMicrons}–{score.DefocusHighMicrons} µm");
        Assert.True(score.DefocusHighMicrons >= score.DefocusMicrons);
    }
}
