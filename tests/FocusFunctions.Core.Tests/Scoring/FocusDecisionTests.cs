namespace FocusFunctions.Core.Tests.Scoring;

public class FocusDecisionTests
{
    [Fact]
    public void Decide_NoTissuePatches_IsNoTissue()
    {
        var (verdict, defocus, worst, _, _, _, _) = FocusDecision.Decide([], 0.5, 2.0, 0.02);

        Assert.Equal(FocusVerdict.NoTissue, verdict);
        Assert.Null(defocus);
        Assert.Null(worst);
    }

    [Fact]
    public void Decide_TooLittleTissueOnTheTile_IsNoTissue()
    {
        Assert.Equal(FocusVerdict.NoTissue, FocusDecision.Decide([0.3f], 0.01, 2.0, 0.02).Verdict);
    }

    [Fact]
    public void Decide_MedianAboveThreshold_IsOutOfFocus()
    {
        var (verdict, defocus, worst, outOfFocus, _, _, _) = FocusDecision.Decide([0.5f, 3f, 4f], 0.9, 2.0, 0.02);

        Assert.Equal(FocusVerdict.OutOfFocus, verdict);
        Assert.Equal(3.0, defocus);
        Assert.Equal(4.0, worst);
        Assert.Equal(2.0 / 3, outOfFocus, 6);
    }

    [Fact]
    public void Decide_OneBadPatchAmongSharpOnes_StaysInFocus()
    {
        var (verdict, defocus, worst, outOfFocus, _, _, _) = FocusDecision.Decide([0.4f, 0.6f, 0.5f, 9f], 0.9, 2.0, 0.02);

        Assert.Equal(FocusVerdict.InFocus, verdict);
        Assert.Equal(0.55, defocus!.Value, 6);
        Assert.Equal(9.0, worst);
        Assert.Equal(0.25, outOfFocus);
    }

    [Fact]
    public void Decide_ExactlyAtThreshold_IsInFocus()
    {
        Assert.Equal(FocusVerdict.InFocus, FocusDecision.Decide([2f], 0.9, 2.0, 0.02).Verdict);
    }
}
