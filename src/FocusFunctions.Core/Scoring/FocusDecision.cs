namespace FocusFunctions.Core.Scoring;

/// <summary>
/// Turns patch predictions into a tile verdict. The tile's defocus is the median over tissue patches: robust to a
/// few patches on a fold, a bubble or a pen stroke, yet a tile that is mostly soft is called soft. The worst patch and
/// the out-of-focus share are kept beside it for users who want stricter rules.
/// </summary>
public static class FocusDecision
{
    public static (FocusVerdict Verdict, double? Defocus, double? Worst, double OutOfFocusFraction) Decide(
        IReadOnlyList<float> tissuePatchDefocus, double tileTissueFraction, double thresholdMicrons, double minTileTissueFraction)
    {
        if (tissuePatchDefocus.Count == 0 || tileTissueFraction < minTileTissueFraction)
        {
            return (FocusVerdict.NoTissue, null, null, 0);
        }

        double median = Median(tissuePatchDefocus);
        double worst = tissuePatchDefocus.Max();
        double outOfFocus = (double)tissuePatchDefocus.Count(d => d > thresholdMicrons) / tissuePatchDefocus.Count;
        var verdict = median > thresholdMicrons ? FocusVerdict.OutOfFocus : FocusVerdict.InFocus;
        return (verdict, median, worst, outOfFocus);
    }

    public static double Median(IReadOnlyList<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + (double)sorted[mid]) / 2.0;
    }
}
