using MathNet.Numerics.Statistics;

namespace FocusFunctions.Core.Evaluation;

/// <summary>A 95 % interval.</summary>
public readonly record struct Interval(double Low, double High);

/// <summary>
/// Percentile bootstrap: the statistic on resamples of the tiles drawn with replacement, its 2.5th and 97.5th
/// percentiles. Seeded, so the same tiles give the same interval on every run.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;
    public const int DefaultSeed = 26;

    /// <summary>
    /// <paramref name="statistic"/> receives the indices of one resample and returns null where it is undefined there
    /// (one class only, constant values); null when fewer than half the resamples gave a value.
    /// </summary>
    public static Interval? Percentile95(int count, Func<int[], double?> statistic, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        if (count < 2)
        {
            return null;
        }

        var random = new Random(seed);
        var values = new List<double>(resamples);
        var indices = new int[count];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < count; i++)
            {
                indices[i] = random.Next(count);
            }

            if (statistic(indices) is double value && double.IsFinite(value))
            {
                values.Add(value);
            }
        }

        if (values.Count < resamples / 2)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        return new Interval(SortedArrayStatistics.Quantile(sorted, 0.025), SortedArrayStatistics.Quantile(sorted, 0.975));
    }
}
