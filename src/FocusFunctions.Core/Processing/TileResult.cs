namespace FocusFunctions.Core.Processing;

/// <summary>A result row as the HTTP API and the CLI show it.</summary>
public sealed record TileResult(
    string BlobName, string Verdict, string Stage, string Location, double? DefocusMicrons, double? WorstPatchMicrons,
    double OutOfFocusFraction, double TissueFraction, int PatchCount, int Width, int Height, double MicronsPerPixel,
    double ThresholdMicrons, string? ModelName, string? ModelVersion, string? Error, DateTimeOffset ScoredAtUtc, long DurationMs,
    int? TileX, int? TileY, int? GridColumns, int? GridRows, IReadOnlyList<double?> PatchDefocus)
{
    public static TileResult From(FocusResultEntity row) => new(
        row.BlobName, row.Verdict, row.Stage, row.Location, row.DefocusMicrons, row.WorstPatchMicrons, row.OutOfFocusFraction,
        row.TissueFraction, row.PatchCount, row.Width, row.Height, row.MicronsPerPixel, row.ThresholdMicrons, row.ModelName,
        row.ModelVersion, row.Error, row.ScoredAtUtc, row.DurationMs, row.TileX, row.TileY, row.GridColumns, row.GridRows,
        ResultRows.ParsePatchDefocus(row.PatchDefocus));
}
