namespace FocusFunctions.Core.Processing;

/// <summary>Where a tile's result row lives: the slide (partition) and the rest of the path (row), both encoded.</summary>
public readonly record struct TileKey(string PartitionKey, string RowKey, string SlideId, int? TileX, int? TileY);
