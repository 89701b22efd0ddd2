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

    /// <summary>
    /// Most pixels (at the model's pixel size) the prepared tiles of one batch hold together, 3 bytes each: once they
    /// reach it no further tile is downloaded (those already downloading still join; the first is always taken), and
    /// the rest wait for the next pass. A batch of 16 tiles of 40 MP held 1.9 GB (the whole `focus process` peaked at
    /// 2.35 GiB); 1024² tiles (1 MP) reach it only in batches of about 100.
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long MaxBatchPixels { get; set; } = 100_000_000;

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
