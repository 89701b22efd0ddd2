using FocusFunctions.Core.Evaluation;

namespace FocusFunctions.Core.Tests.Evaluation;

/// <summary>Every expected value below is worked out by hand in the comment beside it.</summary>
public sealed class BinaryMetricsTests
{
    // Descending: 0.8 out, 0.4 in, 0.35 out, 0.1 in (P = 2, N = 2).
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly bool[] Labels = [false, false, true, true];

    [Fact]
    public void RocCurve_StepsThroughEveryDistinctScore()
    {
        var curve = BinaryMetrics.RocCurve(Scores, Labels);

        Assert.Equal(
            [(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)],
            curve.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)));
        Assert.Equal([0.8, 0.4, 0.35, 0.1], curve.Skip(1).Select(p => p.ThresholdMicrons));
    }

    [Fact]
    public void RocAuc_IsTheTrapezoidArea()
    {
        // 0.5 wide at TPR 0.5, then 0.5 wide at TPR 1: 0.25 + 0.5.
        Assert.Equal(0.75, BinaryMetrics.RocAuc(Scores, Labels), 12);
    }

    [Fact]
    public void RocAuc_CountsTiedPairsHalf()
    {
        // Out {2, 3} against in {1, 2}: 2>1, 2=2 (half), 3>1, 3>2 → 3.5 of 4 pairs.
        Assert.Equal(0.875, BinaryMetrics.RocAuc([1, 2, 2, 3], [false, false, true, true]), 12);

        // Every score tied across the classes: the diagonal.
        Assert.Equal(0.5, BinaryMetrics.RocAuc([1, 1, 2, 2], [false, true, false, true]), 12);
    }

    [Fact]
    public void AveragePrecision_SumsRecallGainTimesPrecision()
    {
        // 0.8: recall 0.5 at precision 1; 0.4: no recall gained; 0.35: recall +0.5 at precision 2/3; 0.1: none.
        Assert.Equal(0.5 + 0.5 * 2 / 3.0, BinaryMetrics.AveragePrecision(Scores, Labels), 12);
    }

    [Fact]
    public void AveragePrecision_PerfectRankingIsOne()
    {
        Assert.Equal(1.0, BinaryMetrics.AveragePrecision([0.1, 0.2, 3, 4], [false, false, true, true]), 12);
    }

    [Fact]
    public void Confusion_CallsOutOfFocusOnlyAboveTheThreshold()
    {
        // Like the engine: exactly at the threshold is in focus.
        var matrix = BinaryMetrics.Confusion([2.0, 2.01, 1.0, 3.0], [true, true, false, false], 2.0);

        Assert.Equal(new ConfusionMatrix(TruePositives: 1, FalsePositives: 1, TrueNegatives: 1, FalseNegatives: 1), matrix);
        Assert.Equal(0.5, matrix.BalancedAccuracy, 12);
    }

    [Fact]
    public void BestThreshold_SeparableScores_FallsMidwayBetweenTheClasses()
    {
        var (threshold, accuracy) = BinaryMetrics.BestThreshold([0.5, 1.0, 1.5, 2.5, 3.0, 1.2], [false, false, true, true, true, false]);

        Assert.Equal(1.35, threshold, 12);
        Assert.Equal(1.0, accuracy, 12);
    }

    [Fact]
    public void BestThreshold_OnATie_TakesTheLowestThreshold()
    {
        // Ascending 0.5 in, 1.0 out, 1.2 in, 2.0 out, 2.5 in, 3.0 out. Balanced accuracy between neighbours:
        // 0.75 → (3/3 + 1/3)/2 = 2/3; 1.1 → 1/2; 1.6 → (2/3 + 2/3)/2 = 2/3; 2.25 → 1/2; 2.75 → (1/3 + 3/3)/2 = 2/3.
        var (threshold, accuracy) = BinaryMetrics.BestThreshold([0.5, 1.0, 1.2, 2.0, 2.5, 3.0], [false, true, false, true, false, true]);

        Assert.Equal(0.75, threshold, 12);
        Assert.Equal(2 / 3.0, accuracy, 12);
        Assert.Equal(2 / 3.0, BinaryMetrics.Confusion([0.5, 1.0, 1.2, 2.0, 2.5, 3.0], [false, true, false, true, false, true], 1.6).BalancedAccuracy, 12);
    }

    [Fact]
    public void OneClassOnly_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([1, 2], [true, true]));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([1, 2, 3], [true, false]));
    }
}
