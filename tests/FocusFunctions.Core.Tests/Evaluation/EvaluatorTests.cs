using FocusFunctions.Core.Evaluation;

namespace FocusFunctions.Core.Tests.Evaluation;

public sealed class EvaluatorTests
{
    [Fact]
    public void MicronLabels_GiveCorrelationsMaeAndInOutByTheThreshold()
    {
        // Labels 0, 1, 3, 4 µm against predictions 0.1, 0.9, 2.5, 5: at 2 µm two in, two out, perfectly ranked.
        var tiles = new[] { Tile(0, 0.1), Tile(1, 0.9), Tile(3, 2.5), Tile(4, 5) };

        var report = Evaluator.Evaluate(tiles, LabelKind.Microns, 2.0, resamples: 200);

        Assert.Equal(1.0, report.RocAuc);
        Assert.Equal(1.0, report.Spearman!.Value, 12);
        // Pearson by hand: dx = -2, -1, 1, 2; dy = -2.025, -1.225, 0.375, 2.875; Σdxdy = 11.4, Σdx² = 10, Σdy² = 14.0075.
        Assert.Equal(11.4 / Math.Sqrt(10 * 14.0075), report.Pearson!.Value, 10);
        // |errors| 0.1, 0.1, 0.5, 1.0.
        Assert.Equal(0.425, report.MeanAbsoluteErrorMicrons!.Value, 12);
        Assert.Equal((2, 2), (report.InFocusCount, report.OutOfFocusCount));
        Assert.Equal(new ConfusionMatrix(2, 0, 2, 0), report.Confusion);
        // Between 0.9 and 2.5.
        Assert.Equal(1.7, report.BestThresholdMicrons!.Value, 12);
    }

    [Fact]
    public void Spearman_UsesAverageRanksForTies()
    {
        // Label ranks 1.5, 1.5, 3, 4 against 1, 2, 3, 4: Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5.
        var tiles = new[] { Tile(0, 1), Tile(0, 2), Tile(1, 3), Tile(2, 4) };

        var report = Evaluator.Evaluate(tiles, LabelKind.ZSteps, 2.0, resamples: 200);

        Assert.Equal(4.5 / Math.Sqrt(4.5 * 5), report.Spearman!.Value, 10);
        Assert.Null(report.RocAuc);
        Assert.Null(report.MeanAbsoluteErrorMicrons);
    }

    [Fact]
    public void NoTissueAndFailedTiles_AreCountedApartAndLeftOutOfEveryMeasure()
    {
        var tiles = new[]
        {
            Tile(0, 0.2), Tile(0, 0.4), Tile(1, 3.0), Tile(1, 2.6),
            new LabelledPrediction(1, FocusVerdict.NoTissue, null),
            new LabelledPrediction(0, FocusVerdict.Failed, null),
            new LabelledPrediction(0, FocusVerdict.Failed, null),
        };

        var report = Evaluator.Evaluate(tiles, LabelKind.Binary, 2.0, resamples: 200);

        Assert.Equal(7, report.Count);
        Assert.Equal(4, report.ScoredCount);
        Assert.Equal(2, report.Verdicts[FocusVerdict.Failed]);
        Assert.Equal(1, report.Verdicts[FocusVerdict.NoTissue]);
        Assert.Equal((2, 2), (report.InFocusCount, report.OutOfFocusCount));
        Assert.Equal(1.0, report.RocAuc);
        Assert.Null(report.Spearman);
    }

    [Fact]
    public void IndeterminateTiles_CountedAsVerdictAndTheirDefocusMeasured()
    {
        var tiles = new[] { Tile(0, 0.2), Tile(1, 3.0), new LabelledPrediction(1, FocusVerdict.Indeterminate, 9.5), new LabelledPrediction(0, FocusVerdict.Indeterminate, 1.0) };

        var report = Evaluator.Evaluate(tiles, LabelKind.Binary, 2.0, resamples: 200);

        Assert.Equal(4, report.ScoredCount);
        Assert.Equal(2, report.Verdicts[FocusVerdict.Indeterminate]);
        Assert.Equal(1.0, report.RocAuc);
    }

    [Fact]
    public void OneClassOnly_LeavesTheCurveMeasuresNullButKeepsTheCounts()
    {
        var report = Evaluator.Evaluate([Tile(0, 0.2), Tile(0, 2.5)], LabelKind.Binary, 2.0);

        Assert.Null(report.RocAuc);
        Assert.Null(report.BestThresholdMicrons);
        Assert.Equal(new ConfusionMatrix(0, 1, 1, 0), report.Confusion);
    }

    [Fact]
    public void Intervals_AreSeededAndHoldTheEstimate()
    {
        var random = new Random(5);
        var tiles = Enumerable.Range(0, 80)
            .Select(i => i % 2 == 0 ? Tile(0, random.NextDouble() * 2.5) : Tile(1, 1.5 + random.NextDouble() * 3))
            .ToArray();

        var first = Evaluator.Evaluate(tiles, LabelKind.Binary, 2.0, resamples: 300);
        var second = Evaluator.Evaluate(tiles, LabelKind.Binary, 2.0, resamples: 300);

        Assert.Equal(first.RocAucInterval, second.RocAucInterval);
        var interval = first.RocAucInterval!.Value;
        Assert.InRange(first.RocAuc!.Value, interval.Low, interval.High);
        Assert.True(interval.High - interval.Low is > 0.01 and < 0.3, $"{interval}");
    }

    [Fact]
    public void Bootstrap_UndefinedEverywhere_GivesNoInterval()
    {
        Assert.Null(Bootstrap.Percentile95(10, _ => null, resamples: 50));
        Assert.Null(Bootstrap.Percentile95(1, _ => 1.0, resamples: 50));
    }

    private static LabelledPrediction Tile(double label, double predicted) =>
        new(label, predicted > 2.0 ? FocusVerdict.OutOfFocus : FocusVerdict.InFocus, predicted);
}
