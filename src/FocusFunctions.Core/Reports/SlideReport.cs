using FocusFunctions.Core.Maps;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Reports;

/// <summary>Everything the slide's QC page shows: the tiles, and the model and threshold they were judged by.</summary>
public sealed record SlideReport(
    string Slide, IReadOnlyList<ReportTile> Tiles, double ThresholdMicrons, string? ModelName, string? ModelVersion, DateTimeOffset ScoredAtUtc)
{
    public SlideVerdict Verdict => SlideVerdict.For(Tiles);

    /// <summary>The scanner's rescan list, in the order of the HTTP API's <c>/rescan</c>.</summary>
    public IReadOnlyList<RescanTile> Rescan => RescanTile.Ordered(Tiles
        .Where(t => t.Verdict == FocusVerdict.OutOfFocus)
        .Select(t => new RescanTile(t.Name, t.X, t.Y, t.DefocusMicrons)));

    /// <summary>From the results table: threshold and model as most rows record them, time of the latest score.</summary>
    public static SlideReport FromRows(string slide, IReadOnlyList<FocusResultEntity> rows, IReadOnlyDictionary<string, byte[]> thumbnails)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(thumbnails);
        if (rows.Count == 0)
        {
            throw new ArgumentException("A report needs at least one result row.", nameof(rows));
        }

        var tiles = rows.Select(r => ReportTile.FromRow(r, thumbnails.GetValueOrDefault(r.BlobName))).ToList();
        var model = MostCommon(rows.Where(r => r.ModelName is not null).Select(r => (r.ModelName, r.ModelVersion)));
        double threshold = MostCommon(rows.Select(r => r.ThresholdMicrons).Where(t => t > 0));
        return new SlideReport(slide, tiles, threshold > 0 ? threshold : ScoringOptions.DefaultRejectAboveMicrons,
            model.ModelName, model.ModelVersion, rows.Max(r => r.ScoredAtUtc));
    }

    /// <summary>From scores made on this machine, in input order.</summary>
    public static SlideReport FromScores(string title, IReadOnlyList<(ReportTile Tile, TileScore Score)> scored, DateTimeOffset scoredAtUtc)
    {
        ArgumentNullException.ThrowIfNull(scored);
        if (scored.Count == 0)
        {
            throw new ArgumentException("A report needs at least one tile.", nameof(scored));
        }

        var model = MostCommon(scored.Where(s => s.Score.ModelName is not null).Select(s => (s.Score.ModelName, s.Score.ModelVersion)));
        double threshold = MostCommon(scored.Select(s => s.Score.ThresholdMicrons).Where(t => t > 0));
        return new SlideReport(title, scored.Select(s => s.Tile).ToList(), threshold > 0 ? threshold : ScoringOptions.DefaultRejectAboveMicrons,
            model.ModelName, model.ModelVersion, scoredAtUtc);
    }

    private static T? MostCommon<T>(IEnumerable<T> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
}
