using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// One tile's result row in the results table (partition: slide id, row: the rest of the blob path, encoded), and the
/// same row as the HTTP API and <c>focus results --json</c> show it. Table columns: every public property with a getter
/// (computed ones too) unless <see cref="IgnoreDataMemberAttribute"/>. JSON: declaration order, camelCase, less the
/// members marked <see cref="JsonIgnoreAttribute"/>. A new column is one property here and its line in
/// <see cref="ResultRows.Create"/>.
/// </summary>
public sealed class FocusResultEntity : ITableEntity
{
    [JsonIgnore]
    public string PartitionKey { get; set; } = "";

    [JsonIgnore]
    public string RowKey { get; set; } = "";

    [JsonIgnore]
    public DateTimeOffset? Timestamp { get; set; }

    [JsonIgnore]
    public ETag ETag { get; set; }

    /// <summary>The blob path inside the tiles container.</summary>
    public string BlobName { get; set; } = "";

    /// <summary>ETag of the blob version this row describes.</summary>
    [JsonIgnore]
    public string SourceETag { get; set; } = "";

    /// <summary><see cref="Scoring.FocusVerdict"/> name.</summary>
    public string Verdict { get; set; } = "";

    /// <summary>Why the verdict is what it is, in words: set for Indeterminate (how many patches could be judged).</summary>
    public string? VerdictReason { get; set; }

    /// <summary><see cref="TileStage"/> name.</summary>
    public string Stage { get; set; } = "";

    /// <summary><see cref="TileLocation"/> name: where the tile is (or is going, while Stage is not Done).</summary>
    public string Location { get; set; } = "";

    public double? DefocusMicrons { get; set; }

    /// <summary>The tile's defocus interval (median of its tissue patches' interval ends), µm; null for a model without a scale.</summary>
    public double? DefocusLowMicrons { get; set; }

    public double? DefocusHighMicrons { get; set; }

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

    /// <summary>Stored, not shown: the API has never carried it.</summary>
    [JsonIgnore]
    public int? PatchSize { get; set; }

    /// <summary>Per-patch defocus in µm, row-major, comma-separated; empty entries are patches without enough tissue.</summary>
    [JsonIgnore]
    public string? PatchDefocus { get; set; }

    /// <summary>
    /// Per patch, row-major, one letter: I (interval at or below the threshold), O (above it), U (undecided), '.' (not
    /// scored). Null for a model without a scale. Stored for the report's patch grid, not shown by the API.
    /// </summary>
    [JsonIgnore]
    public string? PatchJudgements { get; set; }

    /// <summary><see cref="PatchDefocus"/> parsed: what the API shows under the name <c>patchDefocus</c>; not a column.</summary>
    [IgnoreDataMember]
    [JsonPropertyName("patchDefocus")]
    public IReadOnlyList<double?> PatchDefocusMicrons => ResultRows.ParsePatchDefocus(PatchDefocus);

    // The three below have always been written as (redundant) string columns, as the table client stores every
    // public getter; they stay so that the stored schema does not change.
    [JsonIgnore]
    public TileStage StageValue => Enum.Parse<TileStage>(Stage);

    [JsonIgnore]
    public TileLocation LocationValue => Enum.Parse<TileLocation>(Location);

    [JsonIgnore]
    public FocusVerdict VerdictValue => Enum.Parse<FocusVerdict>(Verdict);
}
