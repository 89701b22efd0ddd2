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

/// <summary>The interval rule of issue 25 (docs/scoring.md): each branch, ties, the bounds of f, and the median fallback.</summary>
public class FocusDecisionIntervalTests
{
    private static readonly IntervalRule Rule = new(0.8, 0.5);

    // With b = 0.1 at p = 0.8 the half-width is 0.161 µm: these patches are clearly in (0.5), clearly out (5) or,
    // with b = 5 (half-width 8 µm), undecided whatever their defocus.
    private const float In = 0.5f, Out = 5f, Narrow = 0.1f, Wide = 5f;

    private static TileDecision Decide(int inCount, int outCount, int undecided, double f = 0.5)
    {
        var defocus = new List<float>();
        var scale = new List<float>();
        defocus.AddRange(Enumerable.Repeat(In, inCount));
        scale.AddRange(Enumerable.Repeat(Narrow, inCount));
        defocus.AddRange(Enumerable.Repeat(Out, outCount));
        scale.AddRange(Enumerable.Repeat(Narrow, outCount));
        defocus.AddRange(Enumerable.Repeat(6f, undecided));
        scale.AddRange(Enumerable.Repeat(Wide, undecided));
        return FocusDecision.Decide(defocus, scale, 0.9, 2.0, 0.02, Rule with { MinDecisivePatchFraction = f });
    }

    [Fact]
    public void HalfWidthFactor_Level08_IsLn5()
    {
        Assert.Equal(Math.Log(5), Rule.HalfWidthFactor, 12);
        Assert.Equal(Math.Log(10), new IntervalRule(0.9, 0.5).HalfWidthFactor, 12);
    }

    [Fact]
    public void PatchInterval_MuPlusMinusKb_LowClippedAtZero()
    {
        var (low, high) = FocusDecision.PatchInterval(3f, 1f, Rule);
        Assert.Equal(3 - Math.Log(5), low, 5);
        Assert.Equal(3 + Math.Log(5), high, 5);

        var (clippedLow, _) = FocusDecision.PatchInterval(0.5f, 1f, Rule);
        Assert.Equal(0f, clippedLow);
    }

    [Theory]
    [InlineData(2.01, 3.0, PatchJudgement.Out)]
    [InlineData(2.0, 3.0, PatchJudgement.Undecided)] // low exactly on T is not above it
    [InlineData(0.0, 2.0, PatchJudgement.In)]        // high exactly on T is at or below it
    [InlineData(0.0, 2.01, PatchJudgement.Undecided)]
    public void Judge_IntervalAgainstThreshold(double low, double high, PatchJudgement expected)
    {
        Assert.Equal(expected, FocusDecision.Judge(low, high, 2.0));
    }

    [Theory]
    // in, out, undecided -> verdict (f = 0.5, n = in + out + undecided)
    [InlineData(9, 0, 0, FocusVerdict.InFocus)]
    [InlineData(0, 9, 0, FocusVerdict.OutOfFocus)]
    [InlineData(5, 0, 4, FocusVerdict.InFocus)]          // 5 >= 4.5
    [InlineData(4, 0, 5, FocusVerdict.Indeterminate)]    // 4 < 4.5
    [InlineData(0, 5, 4, FocusVerdict.OutOfFocus)]
    [InlineData(0, 4, 5, FocusVerdict.Indeterminate)]
    [InlineData(2, 0, 7, FocusVerdict.Indeterminate)]    // the flat-stain case: most patches cannot tell
    [InlineData(5, 4, 0, FocusVerdict.InFocus)]          // majority and >= f·n
    [InlineData(4, 5, 0, FocusVerdict.OutOfFocus)]
    [InlineData(4, 4, 0, FocusVerdict.Indeterminate)]    // tie at exactly f·n: neither side outnumbers the other
    [InlineData(3, 3, 2, FocusVerdict.Indeterminate)]    // tie below f·n
    [InlineData(1, 0, 0, FocusVerdict.InFocus)]
    [InlineData(0, 0, 1, FocusVerdict.Indeterminate)]
    [InlineData(1, 1, 0, FocusVerdict.Indeterminate)]
    public void Decide_DecisivePatches_Verdict(int inCount, int outCount, int undecided, FocusVerdict expected)
    {
        Assert.Equal(expected, Decide(inCount, outCount, undecided).Verdict);
    }

    [Theory]
    [InlineData(7, 3, 1.0, FocusVerdict.Indeterminate)] // f = 1: every patch must be decisive
    [InlineData(10, 0, 1.0, FocusVerdict.InFocus)]
    [InlineData(7, 3, 0.7, FocusVerdict.InFocus)]       // exactly f·n = 7
    [InlineData(6, 4, 0.7, FocusVerdict.Indeterminate)]
    public void Decide_MinDecisiveFraction_Bounds(int inCount, int undecided, double f, FocusVerdict expected)
    {
        Assert.Equal(expected, Decide(inCount, 0, undecided, f).Verdict);
    }

    [Fact]
    public void Decide_MinDecisiveFractionOutsideItsRange_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(1, 0, 0, f: 0.49));
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(1, 0, 0, f: 1.01));
    }

    [Fact]
    public void Decide_Indeterminate_SaysHowManyPatchesCouldBeJudged()
    {
        var decision = Decide(2, 0, 7);

        Assert.Equal("2 of 9 tissue patches could be judged at the 2 µm threshold (need 50 %): the others' intervals straddle it (too close to it, or too little structure to read defocus).",
            decision.Reason);
    }

    [Fact]
    public void Decide_IndeterminateByDisagreement_SaysSo()
    {
        Assert.StartsWith("The tissue patches disagree at the 2 µm threshold: 4 out of focus, 4 in focus, 0 undecided of 8", Decide(4, 4, 0).Reason);
    }

    [Fact]
    public void Decide_WithScale_TileIntervalIsTheMedianOfPatchEnds()
    {
        // Patches 1 ± 0.5k (in), 3 ± 0.1k (out), 10 ± 0.1k (out), k = ln 5: the medians of the ends are 3 ∓ 0.1k.
        double k = Math.Log(5);
        var decision = FocusDecision.Decide([1f, 3f, 10f], [0.5f, 0.1f, 0.1f], 0.9, 2.0, 0.02, Rule);

        Assert.Equal(FocusVerdict.OutOfFocus, decision.Verdict);
        Assert.Equal(3.0, decision.Defocus);
        Assert.Equal(3 - 0.1 * k, decision.DefocusLow!.Value, 5);
        Assert.Equal(3 + 0.1 * k, decision.DefocusHigh!.Value, 5);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void Decide_NoScale_MedianRuleAndNoInterval_NeverIndeterminate()
    {
        // The patches that make the interval rule undecided, read without a scale.
        foreach (var scale in new IReadOnlyList<float>?[] { null, [] })
        {
            var decision = FocusDecision.Decide([6f, 6f, 0.5f], scale, 0.9, 2.0, 0.02, Rule);
            Assert.Equal(FocusVerdict.OutOfFocus, decision.Verdict);
            Assert.Null(decision.DefocusLow);
            Assert.Null(decision.DefocusHigh);
            Assert.Null(decision.Reason);
        }
    }

    [Fact]
    public void Decide_WithScaleButTooLittleTissue_StillNoTissue()
    {
        Assert.Equal(FocusVerdict.NoTissue, FocusDecision.Decide([6f], [5f], 0.01, 2.0, 0.02, Rule).Verdict);
        Assert.Equal(FocusVerdict.NoTissue, FocusDecision.Decide([], [], 0.9, 2.0, 0.02, Rule).Verdict);
    }
}
