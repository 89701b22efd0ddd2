using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Reports;

/// <summary>One tile as the report shows it, from a result row (storage) or from a local score (the CLI).</summary>
public sealed record ReportTile(
    string Name, int? X, int? Y, FocusVerdict Verdict, double? DefocusMicrons, double? WorstPatchMicrons, double TissueFraction,
    string Location, string? Error, int PatchColumns, int PatchRows, IReadOnlyList<double?> PatchDefocus, byte[]? Thumbnail,
    double? DefocusLowMicrons = null, double? DefocusHighMicrons = null, string? VerdictReason = null, IReadOnlyList<PatchJudgement?>? PatchJudgements = null)
{
    /// <summary>Where a local file is: it was scored where it lies and moved nowhere.</summary>
    public const string LocalFile = "local file";

    public static ReportTile FromRow(FocusResultEntity row, byte[]? thumbnail)
    {
        ArgumentNullException.ThrowIfNull(row);
        var patches = row.PatchDefocusMicrons;
        bool gridKnown = row.GridColumns is > 0 && row.GridRows is > 0 && patches.Count == row.GridColumns * row.GridRows;
        return new ReportTile(row.BlobName, row.TileX, row.TileY, row.VerdictValue, row.DefocusMicrons, row.WorstPatchMicrons,
            row.TissueFraction, row.Location, row.Error, gridKnown ? row.GridColumns!.Value : 0, gridKnown ? row.GridRows!.Value : 0,
            gridKnown ? patches : [], thumbnail, row.DefocusLowMicrons, row.DefocusHighMicrons, row.VerdictReason,
            gridKnown && ResultRows.ParsePatchJudgements(row.PatchJudgements) is { Count: > 0 } judged && judged.Count == patches.Count ? judged : null);
    }

    public static ReportTile FromScore(string name, (int X, int Y)? position, TileScore score, byte[]? thumbnail)
    {
        ArgumentNullException.ThrowIfNull(score);
        var grid = score.Grid;
        return new ReportTile(name, position?.X, position?.Y, score.Verdict, score.DefocusMicrons, score.WorstPatchMicrons,
            score.TissueFraction, LocalFile, score.Error, grid?.Columns ?? 0, grid?.Rows ?? 0,
            grid?.Patches.Select(p => p.DefocusMicrons).ToList() ?? [], thumbnail, score.DefocusLowMicrons, score.DefocusHighMicrons, score.VerdictReason,
            grid is not null && grid.Patches.Any(p => p.DefocusLowMicrons is not null)
                ? grid.Patches.Select(p => p.Judgement(score.ThresholdMicrons)).ToList()
                : null);
    }

    /// <summary>The file name without folders: what a person recognises in a grid of hundreds.</summary>
    public string ShortName => Name[(Name.LastIndexOfAny(['/', '\\']) + 1)..];

    public bool Placed => X.HasValue && Y.HasValue;
}
