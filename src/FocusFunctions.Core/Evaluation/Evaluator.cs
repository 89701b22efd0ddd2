using FocusFunctions.Core.Scoring;
using MathNet.Numerics.Statistics;

namespace FocusFunctions.Core.Evaluation;

/// <summary>What a tile's label measures.</summary>
public enum LabelKind
{
    /// <summary>0 in focus, 1 out of focus.</summary>
    Binary,

    /// <summary>|defocus| in µm; out of focus means above the threshold.</summary>
    Microns,

    /// <summary>|z| in slices of a z-stack whose step is not known: ranks and correlations only.</summary>
    ZSteps,
}

/// <summary>One labelled tile and what the engine made of it.</summary>
public sealed record LabelledPrediction(double Label, FocusVerdict Verdict, double? PredictedMicrons)
{
    /// <summary>
    /// Only tiles the engine read a defocus for count in the metrics; NoTissue and Failed are counted apart.
    /// Indeterminate tiles count: the metrics measure the defocus reading, and <see cref="EvaluationReport.Verdicts"/>
    /// shows how many of them the interval rule left undecided.
    /// </summary>
    public bool IsScored => Verdict is FocusVerdict.InFocus or FocusVerdict.OutOfFocus or FocusVerdict.Indeterminate && PredictedMicrons is not null;
}

/// <summary>The measures of <c>focus evaluate</c>; a measure is null where the labels cannot give it.</summary>
public sealed record EvaluationReport
{
    public required int Count { get; init; }

    public required int ScoredCount { get; init; }

    public required LabelKind LabelKind { get; init; }

    public required double ThresholdMicrons { get; init; }

    /// <summary>Tiles per verdict, all of them, so verdicts left out of the metrics are visible.</summary>
    public required IReadOnlyDictionary<FocusVerdict, int> Verdicts { get; init; }

    public int? OutOfFocusCount { get; init; }

    public int? InFocusCount { get; init; }

    public double? RocAuc { get; init; }

    public Interval? RocAucInterval { get; init; }

    public double? PrAuc { get; init; }

    public Interval? PrAucInterval { get; init; }

    public ConfusionMatrix? Confusion { get; init; }

    public double? BestThresholdMicrons { get; init; }

    public double? BestBalancedAccuracy { get; init; }

    public double? Spearman { get; init; }

    public Interval? SpearmanInterval { get; init; }

    public double? Pearson { get; init; }

    public Interval? PearsonInterval { get; init; }

    public double? MeanAbsoluteErrorMicrons { get; init; }

    public IReadOnlyList<RocPoint> Roc { get; init; } = [];
}

/// <summary>Measures a model against labels: ROC and PR for in/out labels, correlations and MAE for continuous ones.</summary>
public static class Evaluator
{
    public static EvaluationReport Evaluate(IReadOnlyList<LabelledPrediction> tiles, LabelKind kind, double thresholdMicrons, int resamples = Bootstrap.DefaultResamples)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thresholdMicrons);
        var scored = tiles.Where(t => t.IsScored).ToList();
        double[] predicted = scored.Select(t => t.PredictedMicrons!.Value).ToArray();
        double[] labels = scored.Select(t => t.Label).ToArray();
        var report = new EvaluationReport
        {
            Count = tiles.Count,
            ScoredCount = scored.Count,
            LabelKind = kind,
            ThresholdMicrons = thresholdMicrons,
            Verdicts = tiles.GroupBy(t => t.Verdict).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
        };

        if (kind != LabelKind.ZSteps)
        {
            bool[] outOfFocus = labels.Select(l => IsOutOfFocus(l, kind, thresholdMicrons)).ToArray();
            report = WithBinaryMeasures(report, predicted, outOfFocus, thresholdMicrons, resamples);
        }

        if (kind != LabelKind.Binary)
        {
            report = WithCorrelations(report, predicted, labels, resamples);
        }

        return kind == LabelKind.Microns && scored.Count > 0
            ? report with { MeanAbsoluteErrorMicrons = predicted.Zip(labels, (p, l) => Math.Abs(p - l)).Average() }
            : report;
    }

    public static bool IsOutOfFocus(double label, LabelKind kind, double thresholdMicrons) => kind switch
    {
        LabelKind.Binary => label != 0,
        LabelKind.Microns => Math.Abs(label) > thresholdMicrons,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "z steps without a step size say nothing about the threshold."),
    };

    private static EvaluationReport WithBinaryMeasures(EvaluationReport report, double[] predicted, bool[] outOfFocus, double threshold, int resamples)
    {
        int positives = outOfFocus.Count(p => p);
        report = report with
        {
            OutOfFocusCount = positives,
            InFocusCount = outOfFocus.Length - positives,
            Confusion = BinaryMetrics.Confusion(predicted, outOfFocus, threshold),
        };
        if (positives == 0 || positives == outOfFocus.Length)
        {
            return report;
        }

        var best = BinaryMetrics.BestThreshold(predicted, outOfFocus);
        return report with
        {
            RocAuc = BinaryMetrics.RocAuc(predicted, outOfFocus),
            RocAucInterval = Bootstrap.Percentile95(predicted.Length, ix => OnResample(ix, predicted, outOfFocus, BinaryMetrics.RocAuc), resamples),
            PrAuc = BinaryMetrics.AveragePrecision(predicted, outOfFocus),
            PrAucInterval = Bootstrap.Percentile95(predicted.Length, ix => OnResample(ix, predicted, outOfFocus, BinaryMetrics.AveragePrecision), resamples),
            BestThresholdMicrons = best.ThresholdMicrons,
            BestBalancedAccuracy = best.BalancedAccuracy,
            Roc = BinaryMetrics.RocCurve(predicted, outOfFocus),
        };
    }

    private static EvaluationReport WithCorrelations(EvaluationReport report, double[] predicted, double[] labels, int resamples) => predicted.Length < 3 ? report : report with
    {
        Spearman = Defined(Correlation.Spearman(predicted, labels)),
        SpearmanInterval = Bootstrap.Percentile95(predicted.Length, ix => Defined(Correlation.Spearman(ix.Select(i => predicted[i]), ix.Select(i => labels[i]))), resamples),
        Pearson = Defined(Correlation.Pearson(predicted, labels)),
        PearsonInterval = Bootstrap.Percentile95(predicted.Length, ix => Defined(Correlation.Pearson(ix.Select(i => predicted[i]), ix.Select(i => labels[i]))), resamples),
    };

    private static double? OnResample(int[] indices, double[] predicted, bool[] outOfFocus, Func<IReadOnlyList<double>, IReadOnlyList<bool>, double> measure)
    {
        bool[] labels = indices.Select(i => outOfFocus[i]).ToArray();
        bool bothClasses = labels.Contains(true) && labels.Contains(false);
        return bothClasses ? measure(indices.Select(i => predicted[i]).ToArray(), labels) : null;
    }

    /// <summary>Correlation with fewer than two tiles or a constant side is undefined (NaN); reported as null.</summary>
    private static double? Defined(double value) => double.IsFinite(value) ? value : null;
}
