namespace FocusFunctions.Core.Evaluation;

/// <summary>One point of a ROC curve: calling every tile with a score at or above the threshold out of focus.</summary>
public readonly record struct RocPoint(double ThresholdMicrons, double FalsePositiveRate, double TruePositiveRate);

/// <summary>Counts at one threshold; the positive class is out of focus, a tile is called so when its score is above the threshold.</summary>
public readonly record struct ConfusionMatrix(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    public double TruePositiveRate => Rate(TruePositives, TruePositives + FalseNegatives);

    public double FalsePositiveRate => Rate(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>Mean of sensitivity and specificity: a model that calls everything one way scores 0.5 whatever the class balance.</summary>
    public double BalancedAccuracy => (TruePositiveRate + (1 - FalsePositiveRate)) / 2;

    private static double Rate(int count, int total) => total == 0 ? double.NaN : (double)count / total;
}

/// <summary>
/// ROC and precision-recall for a score where higher means more likely out of focus (the model's defocus in µm).
/// No maintained .NET library computes these with ties handled the standard way, so they are written here once:
/// tied scores move the curve diagonally (AUC then equals the Mann-Whitney statistic with ties counted half), and
/// PR-AUC is average precision, the step sum scikit-learn reports.
/// </summary>
public static class BinaryMetrics
{
    /// <summary>From (0, 0) through every distinct score, highest first, to (1, 1).</summary>
    public static IReadOnlyList<RocPoint> RocCurve(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus)
    {
        var (positives, negatives) = Count(scores, outOfFocus);
        var curve = new List<RocPoint> { new(double.PositiveInfinity, 0, 0) };
        foreach (var (threshold, truePositives, falsePositives) in Sweep(scores, outOfFocus))
        {
            curve.Add(new RocPoint(threshold, (double)falsePositives / negatives, (double)truePositives / positives));
        }

        return curve;
    }

    /// <summary>Area under the ROC curve by the trapezoid rule.</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus)
    {
        var curve = RocCurve(scores, outOfFocus);
        double area = 0;
        for (int i = 1; i < curve.Count; i++)
        {
            area += (curve[i].FalsePositiveRate - curve[i - 1].FalsePositiveRate) * (curve[i].TruePositiveRate + curve[i - 1].TruePositiveRate) / 2;
        }

        return area;
    }

    /// <summary>Average precision: the sum over distinct scores of (recall gained) × (precision there).</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus)
    {
        var (positives, _) = Count(scores, outOfFocus);
        double sum = 0, previousRecall = 0;
        foreach (var (_, truePositives, falsePositives) in Sweep(scores, outOfFocus))
        {
            double recall = (double)truePositives / positives;
            sum += (recall - previousRecall) * truePositives / (truePositives + falsePositives);
            previousRecall = recall;
        }

        return sum;
    }

    /// <summary>Counts when tiles scoring above <paramref name="thresholdMicrons"/> are called out of focus (the engine's rule).</summary>
    public static ConfusionMatrix Confusion(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus, double thresholdMicrons)
    {
        CheckLengths(scores, outOfFocus);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            bool called = scores[i] > thresholdMicrons;
            (tp, fp, tn, fn) = (outOfFocus[i], called) switch
            {
                (true, true) => (tp + 1, fp, tn, fn),
                (false, true) => (tp, fp + 1, tn, fn),
                (false, false) => (tp, fp, tn + 1, fn),
                _ => (tp, fp, tn, fn + 1),
            };
        }

        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>
    /// The threshold with the highest balanced accuracy, chosen among the midpoints between neighbouring distinct
    /// scores (a threshold between two tiles, not on one); on a tie the lowest such threshold, the stricter one.
    /// </summary>
    public static (double ThresholdMicrons, double BalancedAccuracy) BestThreshold(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus)
    {
        var (positives, negatives) = Count(scores, outOfFocus);
        var ascending = Ascending(scores);
        double bestThreshold = scores[ascending[^1]], bestAccuracy = 0.5;
        int inFocusAtOrBelow = 0, outOfFocusAtOrBelow = 0;
        for (int k = 0; k < ascending.Length - 1; k++)
        {
            if (outOfFocus[ascending[k]])
            {
                outOfFocusAtOrBelow++;
            }
            else
            {
                inFocusAtOrBelow++;
            }

            double here = scores[ascending[k]], next = scores[ascending[k + 1]];
            if (next == here)
            {
                continue;
            }

            double accuracy = ((double)(positives - outOfFocusAtOrBelow) / positives + (double)inFocusAtOrBelow / negatives) / 2;
            if (accuracy > bestAccuracy)
            {
                (bestThreshold, bestAccuracy) = (here + (next - here) / 2, accuracy);
            }
        }

        return (bestThreshold, bestAccuracy);
    }

    /// <summary>Cumulative counts after each group of tied scores, highest score first (the ascending order walked backwards).</summary>
    private static IEnumerable<(double Threshold, int TruePositives, int FalsePositives)> Sweep(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus)
    {
        var ascending = Ascending(scores);
        int truePositives = 0, falsePositives = 0;
        for (int k = 0; k < ascending.Length; k++)
        {
            int tile = ascending[^(k + 1)];
            if (outOfFocus[tile])
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }

            if (k == ascending.Length - 1 || scores[ascending[^(k + 2)]] != scores[tile])
            {
                yield return (scores[tile], truePositives, falsePositives);
            }
        }
    }

    /// <summary>Tile indices by ascending score (Array.Sort on a key copy: the bootstrap sorts thousands of times).</summary>
    private static int[] Ascending(IReadOnlyList<double> scores)
    {
        var keys = scores.ToArray();
        var indices = Enumerable.Range(0, keys.Length).ToArray();
        Array.Sort(keys, indices);
        return indices;
    }

    private static (int Positives, int Negatives) Count(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus)
    {
        CheckLengths(scores, outOfFocus);
        int positives = outOfFocus.Count(p => p);
        if (positives == 0 || positives == outOfFocus.Count)
        {
            throw new ArgumentException("Both classes, in focus and out of focus, are needed.", nameof(outOfFocus));
        }

        if (scores.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("Scores must be finite.", nameof(scores));
        }

        return (positives, outOfFocus.Count - positives);
    }

    private static void CheckLengths(IReadOnlyList<double> scores, IReadOnlyList<bool> outOfFocus)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(outOfFocus);
        if (scores.Count != outOfFocus.Count)
        {
            throw new ArgumentException("One label per score is needed.", nameof(outOfFocus));
        }
    }
}
