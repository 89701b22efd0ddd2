using System.Globalization;
using System.Text;
using FocusFunctions.Core.Maps;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Reports;

/// <summary>
/// The tiles as buttons: a mosaic at their grid positions, and a gallery for tiles whose names carry no position.
/// Each shows its thumbnail under a defocus overlay that the page can switch off.
/// </summary>
internal static class ReportGrid
{
    /// <summary>Widest the mosaic aims to be on screen, in CSS pixels.</summary>
    private const int TargetWidth = 960;

    public static (int MinX, int MinY, int Columns, int Rows) Extent(IReadOnlyList<ReportTile> tiles)
    {
        var placed = tiles.Where(t => t.Placed).ToList();
        if (placed.Count == 0)
        {
            return (0, 0, 0, 0);
        }

        int minX = placed.Min(t => t.X!.Value), minY = placed.Min(t => t.Y!.Value);
        return (minX, minY, placed.Max(t => t.X!.Value) - minX + 1, placed.Max(t => t.Y!.Value) - minY + 1);
    }

    public static string Render(SlideReport report)
    {
        var (minX, minY, columns, rows) = Extent(report.Tiles);
        int cell = Math.Clamp(TargetWidth / Math.Max(1, Math.Max(columns, rows)), 24, 128);
        var mosaic = new StringBuilder();
        var gallery = new StringBuilder();
        for (int i = 0; i < report.Tiles.Count; i++)
        {
            var tile = report.Tiles[i];
            if (tile.Placed)
            {
                int x = tile.X!.Value - minX, y = tile.Y!.Value - minY;
                Cell(mosaic, tile, i, report.ThresholdMicrons, $" data-x=\"{x}\" data-y=\"{y}\"", $"grid-area:{y + 1}/{x + 1};");
            }
            else
            {
                Cell(gallery, tile, i, report.ThresholdMicrons, "", "");
            }
        }

        var html = new StringBuilder($"<div style=\"--cell:{cell}px\">");
        if (mosaic.Length > 0)
        {
            html.Append($"""<div class="grid" id="tile-grid" role="group" aria-label="Tiles at their grid positions, {columns} columns by {rows} rows">{mosaic}</div>""");
        }

        if (gallery.Length > 0)
        {
            string caption = mosaic.Length > 0 ? "Tiles whose names carry no grid position" : "Tiles (their names carry no grid position)";
            html.Append($"""<h3>{caption}</h3><div class="gallery" id="tile-gallery" role="group" aria-label="{caption}">{gallery}</div>""");
        }

        return html.Append("</div>").ToString();
    }

    private static void Cell(StringBuilder html, ReportTile tile, int index, double threshold, string position, string style)
    {
        string colour = DefocusPalette.Hex(DefocusPalette.For(tile.Verdict, tile.DefocusMicrons, threshold));
        string overlay = tile.Verdict is FocusVerdict.InFocus or FocusVerdict.OutOfFocus or FocusVerdict.Indeterminate ? $"--c:{colour};" : "--c:transparent;";
        string description = ReportFormat.Html(ReportFormat.Describe(tile));
        html.Append(CultureInfo.InvariantCulture,
            $"<button type=\"button\" class=\"tile v-{tile.Verdict.ToString().ToLowerInvariant()}\" data-i=\"{index}\"{position} style=\"{style}{overlay}\" title=\"{description}\">");
        html.Append(tile.Thumbnail is { } thumbnail
            ? $"<img src=\"data:image/jpeg;base64,{Convert.ToBase64String(thumbnail)}\" alt=\"{description}\">"
            : $"<span class=\"ph\" role=\"img\" aria-label=\"{description}\">no picture</span>");
        html.Append("<span class=\"ov\" aria-hidden=\"true\"></span>");
        if (tile.Verdict == FocusVerdict.Failed)
        {
            html.Append("<span class=\"mark\" aria-hidden=\"true\">!</span>");
        }

        html.Append("</button>");
    }
}
