using System.Text;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Reports;

/// <summary>The page's text parts: the verdict and its rule, counts, model, and the lists a person acts on.</summary>
internal static class ReportSections
{
    public static string Verdict(SlideReport report)
    {
        var verdict = report.Verdict;
        return $"""
            <h1>Focus QC: {ReportFormat.Html(report.Slide)}</h1>
            <div class="verdict {verdict.Kind.ToString().ToLowerInvariant()}" role="status">
            <p><strong id="slide-verdict">{ReportFormat.Html(verdict.Headline)}</strong></p>
            <p class="rule">{ReportFormat.Html(SlideVerdict.Rule(report.ThresholdMicrons))}</p>
            </div>
            """;
    }

    public static string Summary(SlideReport report)
    {
        var rows = new StringBuilder();
        foreach (var verdict in Enum.GetValues<FocusVerdict>())
        {
            int count = report.Tiles.Count(t => t.Verdict == verdict);
            rows.Append($"""<tr data-verdict="{verdict}"><td>{ReportFormat.Label(verdict)}</td><td class="num">{count}</td></tr>""");
        }

        string model = $"{report.ModelName ?? "unknown"} {report.ModelVersion}".Trim();
        return $"""
            <section aria-labelledby="summary-heading" class="columns">
            <div><h2 id="summary-heading">Tiles per verdict</h2>
            <table id="verdict-counts"><thead><tr><th>Verdict</th><th class="num">Tiles</th></tr></thead>
            <tbody>{rows}</tbody><tfoot><tr><th>all</th><th class="num">{report.Tiles.Count}</th></tr></tfoot></table></div>
            <div><h2>Scoring</h2><dl class="facts">
            <dt>Model</dt><dd id="model">{ReportFormat.Html(model)}</dd>
            <dt>Threshold</dt><dd>{ReportFormat.Number(report.ThresholdMicrons)} µm</dd>
            <dt>Scored</dt><dd><time datetime="{report.ScoredAtUtc:O}">{report.ScoredAtUtc:yyyy-MM-dd HH:mm} UTC</time></dd>
            </dl></div>
            </section>
            """;
    }

    public static string Lists(SlideReport report)
    {
        var failed = report.Tiles.Where(t => t.Verdict == FocusVerdict.Failed).ToList();
        var indeterminate = report.Tiles.Where(t => t.Verdict == FocusVerdict.Indeterminate).ToList();
        var rejected = report.Tiles.Where(t => t.Location == nameof(TileLocation.Rejected)).ToList();
        return Rescan(report) +
            Table("failed", "Failed tiles", "Tiles that could not be read; they are in quarantine (from storage) or where they lie (local files).",
                failed, ["Tile", "Error"], t => [ReportFormat.Html(t.Name), ReportFormat.Html(t.Error)]) +
            (indeterminate.Count == 0 ? "" : Table("indeterminate", "Indeterminate tiles",
                "Tiles the model could not judge at the threshold (too few tissue patches read clearly on one side); they stay in tiles for a person to look at.",
                indeterminate, ["Tile", "Defocus interval", "Why"],
                t => [ReportFormat.Html(t.Name), ReportFormat.Interval(t.DefocusLowMicrons, t.DefocusHighMicrons), ReportFormat.Html(t.VerdictReason)])) +
            Table("rejected", "Rejected tiles", "Out-of-focus tiles moved to the rejected container.",
                rejected, ["Tile", "Defocus"], t => [ReportFormat.Html(t.Name), ReportFormat.Microns(t.DefocusMicrons)]);
    }

    private static string Rescan(SlideReport report)
    {
        var tiles = report.Rescan;
        var csv = new StringBuilder("blobName,tileX,tileY,defocusMicrons\n");
        var rows = new StringBuilder();
        foreach (var t in tiles)
        {
            csv.Append($"{CsvField.Quote(t.BlobName)},{t.TileX},{t.TileY},{(t.DefocusMicrons is { } d ? ReportFormat.Number(d, "0.00") : "")}\n");
            rows.Append($"""<tr><td>{ReportFormat.Html(t.BlobName)}</td><td class="num">{t.TileX}</td><td class="num">{t.TileY}</td><td class="num">{ReportFormat.Microns(t.DefocusMicrons)}</td></tr>""");
        }

        if (tiles.Count == 0)
        {
            return """<section aria-labelledby="rescan-heading"><h2 id="rescan-heading">Rescan list</h2><p id="rescan-empty">Nothing to rescan.</p></section>""";
        }

        string file = new string(report.Slide.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()) + "-rescan.csv";
        string href = "data:text/csv;charset=utf-8;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(csv.ToString()));
        return $"""
            <section aria-labelledby="rescan-heading"><h2 id="rescan-heading">Rescan list ({tiles.Count})</h2>
            <p>Out-of-focus tiles for the scanner to acquire again, row by row (the same list as the HTTP API's <code>/rescan</code>).</p>
            <p><button type="button" id="copy-rescan">Copy list</button> <a id="download-rescan" download="{ReportFormat.Html(file)}" href="{href}">Download CSV</a><span id="copy-status" class="copied" role="status"></span></p>
            <textarea id="rescan-csv" class="visually-hidden" readonly aria-hidden="true" tabindex="-1">{ReportFormat.Html(csv.ToString())}</textarea>
            <table id="rescan-list"><thead><tr><th>Tile</th><th class="num">Column</th><th class="num">Row</th><th class="num">Defocus</th></tr></thead>
            <tbody>{rows}</tbody></table></section>
            """;
    }

    private static string Table(string id, string title, string note, IReadOnlyList<ReportTile> tiles, string[] headers, Func<ReportTile, string[]> cells)
    {
        if (tiles.Count == 0)
        {
            return $"""<section aria-labelledby="{id}-heading"><h2 id="{id}-heading">{title}</h2><p>None.</p></section>""";
        }

        var body = new StringBuilder();
        foreach (var tile in tiles)
        {
            body.Append("<tr>").AppendJoin("", cells(tile).Select(c => $"<td>{c}</td>")).Append("</tr>");
        }

        return $"""
            <section aria-labelledby="{id}-heading"><h2 id="{id}-heading">{title} ({tiles.Count})</h2><p>{note}</p>
            <table id="{id}-list"><thead><tr>{string.Concat(headers.Select(h => $"<th>{h}</th>"))}</tr></thead><tbody>{body}</tbody></table></section>
            """;
    }
}
