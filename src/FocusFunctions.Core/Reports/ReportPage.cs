using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FocusFunctions.Core.Maps;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Reports;

/// <summary>
/// The slide's QC page as one self-contained HTML file: styles, script, data and thumbnails inline, and a content
/// security policy that refuses every request, so it works offline and leaks nothing. The CLI writes it and the
/// Function app serves it; both call <see cref="Render"/>.
/// </summary>
public static partial class ReportPage
{
    /// <summary>Images only from data URIs, inline styles and script, nothing else: no fetch, no form, no frame.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

    private static readonly Lazy<string> Template = new(() => Asset("report.html"));
    private static readonly Lazy<string> Styles = new(() => Asset("report.css"));
    private static readonly Lazy<string> Script = new(() => Asset("report.js"));

    public static string Render(SlideReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var parts = new Dictionary<string, string>
        {
            ["csp"] = ContentSecurityPolicy,
            ["slide"] = ReportFormat.Html(report.Slide),
            ["css"] = Styles.Value,
            ["verdict"] = ReportSections.Verdict(report),
            ["summary"] = ReportSections.Summary(report),
            ["legend"] = Legend(report.ThresholdMicrons),
            ["grid"] = ReportGrid.Render(report),
            ["histogram"] = ReportHistogram.Render(report),
            ["lists"] = ReportSections.Lists(report),
            ["footer"] = $"Written by FocusFunctions at {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. Self-contained: it makes no request and can be mailed or archived as it is.",
            ["data"] = Data(report),
            ["script"] = Script.Value,
        };
        // One pass, so text from a tile name is never read as a placeholder.
        return Placeholder().Replace(Template.Value, m => parts[m.Groups[1].Value]);
    }

    public static byte[] RenderUtf8(SlideReport report) => Encoding.UTF8.GetBytes(Render(report));

    /// <summary>The colour bar in µm with the threshold marked, and the two colours outside the scale.</summary>
    internal static string Legend(double threshold)
    {
        string gradient = string.Join(", ", DefocusPalette.Stops.Select(DefocusPalette.Hex));
        string t = ReportFormat.Number(threshold), twice = ReportFormat.Number(2 * threshold);
        return $"""
            <div class="legend" role="group" aria-label="Colour scale">
            <div class="scale" role="img" aria-label="Defocus colour scale: dark violet 0 µm, teal at the {t} µm threshold, yellow {twice} µm and more">
            <div class="bar" style="background: linear-gradient(to right, {gradient})"></div>
            <div class="ticks" aria-hidden="true"><span style="left:0">0 µm</span><span style="left:50%">{t} µm (threshold)</span><span style="left:100%">≥ {twice} µm</span></div>
            </div>
            <span><span class="swatch" style="background:{DefocusPalette.Hex(DefocusPalette.NoTissue)}"></span>no tissue (no overlay)</span>
            <span><span class="swatch" style="background:{DefocusPalette.Hex(DefocusPalette.Failed)}"></span>failed (marked !)</span>
            <span><span class="swatch striped"></span>indeterminate tile, undecided patch (striped)</span>
            </div>
            """;
    }

    /// <summary>What the script needs for the tile dialog; thumbnails stay in the cells' images, not repeated here.</summary>
    private static string Data(SlideReport report) => JsonSerializer.Serialize(new
    {
        stops = DefocusPalette.Stops.Select(DefocusPalette.Hex),
        stripe = DefocusPalette.Hex(DefocusPalette.Indeterminate),
        threshold = report.ThresholdMicrons,
        model = $"{report.ModelName ?? "unknown"} {report.ModelVersion}".Trim(),
        columns = ReportGrid.Extent(report.Tiles).Columns,
        rows = ReportGrid.Extent(report.Tiles).Rows,
        tiles = report.Tiles.Select(t => new
        {
            name = t.Name,
            verdict = t.Verdict.ToString(),
            um = Round(t.DefocusMicrons),
            worst = Round(t.WorstPatchMicrons),
            tissue = Math.Round(t.TissueFraction, 3),
            location = t.Location,
            error = t.Error,
            low = Round(t.DefocusLowMicrons),
            high = Round(t.DefocusHighMicrons),
            reason = t.VerdictReason,
            columns = t.PatchColumns,
            rows = t.PatchRows,
            patches = t.PatchDefocus.Select(Round),
            undecided = t.PatchJudgements?.Select(j => j == PatchJudgement.Undecided),
        }),
    });

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

    private static string Asset(string name)
    {
        var assembly = typeof(ReportPage).Assembly;
        using var stream = assembly.GetManifestResourceStream($"FocusFunctions.Core.Reports.Assets.{name}")
            ?? throw new InvalidOperationException($"The report asset {name} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{(\w+)\}\}")]
    private static partial Regex Placeholder();
}
