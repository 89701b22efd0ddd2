using System.ComponentModel.DataAnnotations;

namespace FocusFunctions.Core.Processing;

/// <summary>How tiles are processed. Bound from the "Processing" configuration section.</summary>
public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    /// <summary>Blobs downloaded and prepared at once in a batch.</summary>
    [Range(1, 64)]
    public int DownloadParallelism { get; set; } = 4;

    /// <summary>Tiles per batch when sweeping a container (the CLI's `focus process`; the GPU worker batches by WorkerOptions).</summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = 16;

    /// <summary>Attempts at a whole tile when storage fails transiently (429, 5xx, timeouts), on top of the SDK's own retries.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First back-off between whole-tile attempts; doubles each time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Times a tile's state is re-read after a concurrent writer won a row or blob condition.</summary>
    [Range(1, 100)]
    public int MaxConflictRetries { get; set; } = 10;
}
