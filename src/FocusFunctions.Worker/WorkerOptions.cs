using System.ComponentModel.DataAnnotations;

namespace FocusFunctions.Worker;

/// <summary>How the GPU worker reads its queue and batches tiles. Bound from the "Worker" configuration section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Storage queue that Event Grid fills with BlobCreated events for the tiles container.</summary>
    [Required(AllowEmptyStrings = false)]
    public string QueueName { get; set; } = "tile-events";

    /// <summary>Where messages go after too many deliveries; defaults to the queue name + "-poison".</summary>
    public string? PoisonQueueName { get; set; }

    /// <summary>Most tiles scored together (one model batch holds all their patches).</summary>
    [Range(1, 32 * 8)]
    public int MaxBatchTiles { get; set; } = 32;

    /// <summary>
    /// Most bytes of encoded tiles (the events' content lengths) scored together, so that a batch of large or hostile
    /// files cannot exhaust the replica; a tile above it is scored alone, and so is one whose event gives no length.
    /// </summary>
    [Range(1L << 20, 4L << 30)]
    public long MaxBatchBytes { get; set; } = 64L << 20;

    /// <summary>How long to keep gathering messages for a fuller batch once the first has arrived.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause between polls of an empty queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lease on received messages; renewed at half-time while their batch runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A message delivered more often than this goes to the poison queue, and its tile to quarantine.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>On SIGTERM, how long an in-flight batch may take to finish before its messages are released.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    public string PoisonQueue => string.IsNullOrWhiteSpace(PoisonQueueName) ? QueueName + "-poison" : PoisonQueueName;
}
