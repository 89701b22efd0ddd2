using System.Globalization;

namespace FocusFunctions.Core.Scoring;

/// <summary>What one patch says about the threshold, judged on its defocus interval.</summary>
public enum PatchJudgement
{
    /// <summary>The whole interval lies at or below the threshold.</summary>
    In,

    /// <summary>The whole interval lies above the threshold.</summary>
    Out,

    /// <summary>The interval straddles the threshold: the patch cannot tell.</summary>
    Undecided,
}

/// <summary>A tile's verdict and the numbers behind it.</summary>
public sealed record TileDecision(
    FocusVerdict Verdict,
    double? Defocus,
    double? Worst,
    double OutOfFocusFraction,
    double? DefocusLow = null,
    double? DefocusHigh = null,
    string? Reason = null);

/// <summary>How patch intervals are read: the interval level p and the share f of tissue patches a verdict needs.</summary>
public readonly record struct IntervalRule(double IntervalLevel, double MinDecisivePatchFraction)
{
    /// <summary>k = ln(1/(1−p)): a Laplace(mu, b) puts probability p within mu ± k·b (ln 5 ≈ 1.609 for p = 0.8).</summary>
    public double HalfWidthFactor => Math.Log(1.0 / (1.0 - IntervalLevel));

    /// <summary>The fewest decisive patches a verdict needs among <paramref name="tissuePatches"/>: ⌈f·n⌉.</summary>
    public int Required(int tissuePatches) => (int)Math.Ceiling(MinDecisivePatchFraction * tissuePatches - 1e-9);
}

/// <summary>
/// Turns patch predictions into a tile verdict. Without a scale (a model with no second output) the tile's defocus is
/// the median over tissue patches: robust to a few patches on a fold, a bubble or a pen stroke, yet a tile that is
/// mostly soft is called soft. With a scale every patch has an interval; a patch whose interval lies wholly above the
/// threshold is out, wholly at or below in, else undecided, and the tile needs a clear majority of decisive patches
/// (at least f of them, more than the other side) to be called InFocus or OutOfFocus, else it is Indeterminate
/// (docs/scoring.md). The worst patch and the out-of-focus share are kept beside it for users who want stricter rules.
/// </summary>
public static class FocusDecision
{
    /// <summary>The median rule: a model without a scale (never Indeterminate).</summary>
    public static TileDecision Decide(IReadOnlyList<float> tissuePatchDefocus, double tileTissueFraction, double thresholdMicrons, double minTileTissueFraction) =>
        Decide(tissuePatchDefocus, null, tileTissueFraction, thresholdMicrons, minTileTissueFraction, default);

    /// <summary>
    /// The verdict of a tile from its tissue patches' defocus and, where the model predicts it, their scales
    /// (<paramref name="tissuePatchScale"/> null or empty: the median rule, whatever <paramref name="rule"/> says).
    /// </summary>
    public static TileDecision Decide(IReadOnlyList<float> tissuePatchDefocus, IReadOnlyList<float>? tissuePatchScale, double tileTissueFraction,
        double thresholdMicrons, double minTileTissueFraction, IntervalRule rule)
    {
        if (tissuePatchDefocus.Count == 0 || tileTissueFraction < minTileTissueFraction)
        {
            return new TileDecision(FocusVerdict.NoTissue, null, null, 0);
        }

        int n = tissuePatchDefocus.Count;
        double median = Median(tissuePatchDefocus);
        double worst = tissuePatchDefocus.Max();
        double outOfFocus = (double)tissuePatchDefocus.Count(d => d > thresholdMicrons) / n;
        if (tissuePatchScale is null || tissuePatchScale.Count == 0)
        {
            var verdict = median > thresholdMicrons ? FocusVerdict.OutOfFocus : FocusVerdict.InFocus;
            return new TileDecision(verdict, median, worst, outOfFocus);
        }

        if (!(rule.IntervalLevel > 0 && rule.IntervalLevel < 1) || !(rule.MinDecisivePatchFraction >= 0.5 && rule.MinDecisivePatchFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "The interval level must lie in (0, 1) and the decisive share in [0.5, 1].");
        }

        if (tissuePatchScale.Count != n)
        {
            throw new ArgumentException($"{n} defocus values but {tissuePatchScale.Count} scales.", nameof(tissuePatchScale));
        }

        var lows = new float[n];
        var highs = new float[n];
        int outCount = 0, inCount = 0;
        for (int i = 0; i < n; i++)
        {
            (lows[i], highs[i]) = PatchInterval(tissuePatchDefocus[i], tissuePatchScale[i], rule);
            switch (Judge(lows[i], highs[i], thresholdMicrons))
            {
                case PatchJudgement.Out:
                    outCount++;
                    break;
                case PatchJudgement.In:
                    inCount++;
                    break;
            }
        }

        int required = rule.Required(n);
        var tileVerdict = outCount >= required && outCount > inCount ? FocusVerdict.OutOfFocus
            : inCount >= required && inCount > outCount ? FocusVerdict.InFocus
            : FocusVerdict.Indeterminate;
        string? reason = tileVerdict == FocusVerdict.Indeterminate
            ? IndeterminateReason(n, outCount, inCount, thresholdMicrons, rule.MinDecisivePatchFraction)
            : null;
        return new TileDecision(tileVerdict, median, worst, outOfFocus, Median(lows), Median(highs), reason);
    }

    /// <summary>A patch's interval at the rule's level: max(0, mu − k·b) to mu + k·b.</summary>
    public static (float Low, float High) PatchInterval(float defocusMicrons, float scaleMicrons, IntervalRule rule)
    {
        double halfWidth = rule.HalfWidthFactor * scaleMicrons;
        return ((float)Math.Max(0, defocusMicrons - halfWidth), (float)(defocusMicrons + halfWidth));
    }

    /// <summary>Out when the interval lies wholly above the threshold, In when wholly at or below it, else Undecided.</summary>
    public static PatchJudgement Judge(double lowMicrons, double highMicrons, double thresholdMicrons) =>
        lowMicrons > thresholdMicrons ? PatchJudgement.Out
        : highMicrons <= thresholdMicrons ? PatchJudgement.In
        : PatchJudgement.Undecided;

    /// <summary>Why a tile is Indeterminate, in words for the result row.</summary>
    public static string IndeterminateReason(int tissuePatches, int outCount, int inCount, double thresholdMicrons, double minDecisiveFraction)
    {
        string threshold = thresholdMicrons.ToString("0.##", CultureInfo.InvariantCulture);
        string need = (minDecisiveFraction * 100).ToString("0.#", CultureInfo.InvariantCulture);
        int judged = outCount + inCount;
        if (judged < Math.Ceiling(minDecisiveFraction * tissuePatches - 1e-9))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{judged} of {tissuePatches} tissue patches could be judged at the {threshold} µm threshold (need {need} %): the others' intervals straddle it (too close to it, or too little structure to read defocus).");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"The tissue patches disagree at the {threshold} µm threshold: {outCount} out of focus, {inCount} in focus, {tissuePatches - judged} undecided of {tissuePatches} (a verdict needs {need} % on one side and more than the other).");
    }

    /// <summary>An interval as tables print it, e.g. "0.12-1.80" (µm); "-" without one.</summary>
    public static string FormatInterval(double? lowMicrons, double? highMicrons) => lowMicrons is { } low && highMicrons is { } high
        ? string.Create(CultureInfo.InvariantCulture, $"{low:0.00}-{high:0.00}")
        : "-";

    public static double Median(IReadOnlyList<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + (double)sorted[mid]) / 2.0;
    }
}
