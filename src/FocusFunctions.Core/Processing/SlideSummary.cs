namespace FocusFunctions.Core.Processing;

/// <summary>A slide at a glance: tiles per verdict, defocus statistics and the tiles taken out of the tiles container.</summary>
public sealed record SlideSummary(
    string Slide, int TileCount, int PendingCount, IReadOnlyDictionary<string, int> Verdicts, double? MeanDefocusMicrons,
    double? MedianDefocusMicrons, IReadOnlyList<string> RejectedTiles, IReadOnlyList<string> QuarantinedTiles);

/// <summary>An out-of-focus tile the scanner should acquire again.</summary>
public sealed record RescanTile(string BlobName, int? TileX, int? TileY, double? DefocusMicrons)
{
    /// <summary>Row by row, then column, then name: the scanner's order, and the same in the API and the report.</summary>
    public static IReadOnlyList<RescanTile> Ordered(IEnumerable<RescanTile> tiles) => tiles
        .OrderBy(t => t.TileY ?? int.MaxValue).ThenBy(t => t.TileX ?? int.MaxValue).ThenBy(t => t.BlobName, StringComparer.Ordinal)
        .ToList();
}
