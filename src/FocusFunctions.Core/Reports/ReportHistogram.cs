using System.Globalization;
using System.Text;
using FocusFunctions.Core.Maps;

namespace FocusFunctions.Core.Reports;

/// <summary>Tiles per defocus bin as an inline SVG, bars in the page's colour scale, the threshold drawn as a line.</summary>
internal static class ReportHistogram
{
    /// <summary>Bins from 0 to twice the threshold; the last bin also holds everything beyond.</summary>
    public const int Bins = 20;

    private const int Width = 640, Height = 220, Left = 40, Bottom = 30, Top = 16, Right = 12;

    public static int[] Count(IEnumerable<double> defocus, double threshold)
    {
        var counts = new int[Bins];
        foreach (double d in defocus)
        {
            counts[Math.Clamp((int)(d / (2 * threshold) * Bins), 0, Bins - 1)]++;
        }

        return counts;
    }

    public static string Render(SlideReport report)
    {
        double threshold = report.ThresholdMicrons;
        var defocus = report.Tiles.Where(t => t.DefocusMicrons.HasValue).Select(t => t.DefocusMicrons!.Value).ToList();
        int[] counts = Count(defocus, threshold);
        int most = Math.Max(1, counts.Max());
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom, barWidth = plotWidth / Bins;
        int above = defocus.Count(d => d > threshold);
        string summary = $"{defocus.Count} tiles with a defocus reading; {above} above the {F(threshold)} µm threshold.";

        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"""<svg class="histogram" id="histogram" viewBox="0 0 {Width} {Height}" role="img" aria-labelledby="histogram-title histogram-desc"><title id="histogram-title">Histogram of tile defocus</title><desc id="histogram-desc">{summary}</desc>""");
        for (int i = 0; i < Bins; i++)
        {
            double low = 2 * threshold * i / Bins, high = 2 * threshold * (i + 1) / Bins;
            double h = plotHeight * counts[i] / most;
            string colour = DefocusPalette.Hex(DefocusPalette.ForDefocus((low + high) / 2, threshold));
            string range = i == Bins - 1 ? $"{F(low)} µm and above" : $"{F(low)}–{F(high)} µm";
            svg.Append(CultureInfo.InvariantCulture,
                $"""<rect x="{F(Left + i * barWidth + 1)}" y="{F(Top + plotHeight - h)}" width="{F(barWidth - 2)}" height="{F(h)}" fill="{colour}" stroke="#1e1e1e" stroke-width="0.5"><title>{range}: {counts[i]} tiles</title></rect>""");
        }

        double thresholdX = Left + plotWidth / 2;
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" y1="{Top + plotHeight}" x2="{Width - Right}" y2="{Top + plotHeight}" stroke="#1e1e1e"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{F(thresholdX)}" y1="{Top - 6}" x2="{F(thresholdX)}" y2="{Top + plotHeight}" stroke="#b00" stroke-width="2" stroke-dasharray="6 3"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(thresholdX + 4)}" y="{Top + 4}">threshold {F(threshold)} µm</text>""");
        foreach (double value in new[] { 0, threshold / 2, threshold, 1.5 * threshold, 2 * threshold })
        {
            double x = Left + plotWidth * value / (2 * threshold);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{F(x)}" y="{Height - Bottom + 16}" text-anchor="middle">{F(value)}{(value == 2 * threshold ? "+" : "")}</text>""");
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2}" y="{Height - 2}" text-anchor="middle">defocus, µm</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 6}" y="{Top + 8}" text-anchor="end">{most}</text><text x="{Left - 6}" y="{Top + plotHeight}" text-anchor="end">0</text>""");
        svg.Append("</svg>");
        return $"""<section aria-labelledby="histogram-heading"><h2 id="histogram-heading">Defocus</h2><p>{summary}</p>{svg}</section>""";
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
