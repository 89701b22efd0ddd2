using Azure;
using Azure.Data.Tables;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>One tile's result row in the results table (partition: slide id, row: the rest of the blob path, encoded).</summary>
public sealed class FocusResultEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    /// <summary>The blob path inside the tiles container.</summary>
    public string BlobName { get; set; } = "";

    /// <summary>ETag of the blob version this row describes.</summary>
    public string SourceETag { get; set; } = "";

    /// <summary><see cref="TileStage"/> name.</summary>
    public string Stage { get; set; } = "";

    /// <summary><see cref="Scoring.FocusVerdict"/> name.</summary>
    public string Verdict { get; set; } = "";

    /// <summary><see cref="TileLocation"/> name: where the tile is (or is going, while Stage is not Done).</summary>
    public string Location { get; set; } = "";

    public double? DefocusMicrons { get; set; }
    public double? WorstPatchMicrons { get; set; }
    public double OutOfFocusFraction { get; set; }
    public double TissueFraction { get; set; }
    public int PatchCount { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public double MicronsPerPixel { get; set; }
    public double ThresholdMicrons { get; set; }
    public string? ModelName { get; set; }
    public string? ModelVersion { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset ScoredAtUtc { get; set; }
    public long DurationMs { get; set; }
    public int? TileX { get; set; }
    public int? TileY { get; set; }
    public int? GridColumns { get; set; }
    public int? GridRows { get; set; }
    public int? PatchSize { get; set; }

    /// <summary>Per-patch defocus in µm, row-major, comma-separated; empty entries are patches without enough tissue.</summary>
    public string? PatchDefocus { get; set; }

    public TileStage StageValue => Enum.Parse<TileStage>(Stage);

    public TileLocation LocationValue => Enum.Parse<TileLocation>(Location);

    public Scoring.FocusVerdict VerdictValue => Enum.Parse<Scoring.FocusVerdict>(Verdict);
}
