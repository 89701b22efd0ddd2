using Azure.Storage.Blobs.Models;

namespace FocusFunctions.TestSupport;

/// <summary>
/// Fault hooks set per test: a crash, a re-upload, an outage at a chosen point of a tile's processing. They run inside
/// the storage clients the processor is given (<see cref="FaultingStorageClients"/>), so production code has no hooks.
/// </summary>
public sealed class TestFaults
{
    /// <summary>Runs when the row is about to say Moving: after the result row is written, before the tile is copied.</summary>
    public Func<string, CancellationToken, Task>? BeforeMove { get; set; }

    /// <summary>Runs when the source is about to be deleted: after the copy to the destination.</summary>
    public Func<string, CancellationToken, Task>? AfterCopy { get; set; }

    /// <summary>
    /// Rewrites what a blob's properties read says (container, blob name, the service's answer): a copy that ended
    /// Failed, a length or MD5 that differs, states Azurite cannot be brought into.
    /// </summary>
    public Func<string, string, BlobProperties, BlobProperties>? Properties { get; set; }
}

/// <summary>Stands for the process dying at a fault point.</summary>
public sealed class SimulatedCrashException() : Exception("Simulated crash.");
