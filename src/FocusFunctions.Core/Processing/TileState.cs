using Azure.Storage.Blobs.Models;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>What storage says about a tile right now: the blob (null when absent) and its result row (null when none).</summary>
internal sealed record TileState(string BlobName, TileKey Key, BlobProperties? Blob, FocusResultEntity? Row)
{
    /// <summary>The row describes the blob's current version (so that version needs no new score).</summary>
    public bool RowIsCurrent => ResultTable.IsCurrent(Row, Blob?.ETag);
}

/// <summary>A tile downloaded and prepared for the model, or already judged (too big, undecodable).</summary>
internal sealed record PendingTile(TileState State, Azure.ETag ETag, PreparedTile? Prepared, TileScore? Judged, long ElapsedMs);

/// <summary>A tile with its score, ready to be recorded.</summary>
internal sealed record ScoredTile(TileState State, Azure.ETag ETag, TileScore Score, long DurationMs);
