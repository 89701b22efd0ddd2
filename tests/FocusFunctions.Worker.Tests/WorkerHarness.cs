using Azure.Storage.Queues;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FocusFunctions.Worker.Tests;

/// <summary>A worker wired to the shared TileProcessor and a queue of its own on Azurite, driven batch by batch.</summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    private WorkerHarness(TestStorage storage, QueueServiceClient queues, WorkerOptions options)
    {
        Storage = storage;
        Options = options;
        Queue = queues.GetQueueClient(options.QueueName);
        Poison = queues.GetQueueClient(options.PoisonQueue);
        TileQueue = new TileQueue(queues, Microsoft.Extensions.Options.Options.Create(options), storage.Options.TilesContainer, TimeProvider.System,
            NullLogger<TileQueue>.Instance);
        Worker = new TileQueueWorker(TileQueue, storage.Processor, new WorkerMetrics(Meters),
            Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<TileQueueWorker>.Instance);
    }

    private static readonly System.Diagnostics.Metrics.IMeterFactory Meters =
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    public TestStorage Storage { get; }
    public WorkerOptions Options { get; }
    public QueueClient Queue { get; }
    public QueueClient Poison { get; }
    public TileQueue TileQueue { get; }
    public TileQueueWorker Worker { get; }

    /// <param name="settings">Extra configuration, e.g. Scoring:ModelPath for another model than the shipped one.</param>
    public static async Task<WorkerHarness> CreateAsync(AzuriteFixture azurite, Action<WorkerOptions>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var storage = await TestStorage.CreateAsync(azurite, useRealModelIfPresent: true, settings: settings);
        var options = new WorkerOptions
        {
            QueueName = "tile-events-" + Guid.NewGuid().ToString("N")[..8],
            MaxBatchTiles = 16,
            MaxBatchWait = TimeSpan.FromMilliseconds(200),
            IdlePollInterval = TimeSpan.FromMilliseconds(50),
            VisibilityTimeout = TimeSpan.FromSeconds(10),
            MaxDequeueCount = 3,
            ShutdownGrace = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        var harness = new WorkerHarness(storage, storage.Services.GetRequiredService<StorageClientFactory>().Queues, options);
        await harness.TileQueue.CreateIfMissingAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>An Event Grid (storage-queue destination) BlobCreated event for a blob of the tiles container.</summary>
    /// <param name="eTag">The uploaded version as the event names it (unquoted, as Event Grid writes it); none when null.</param>
    /// <param name="contentLength">The uploaded size; none when null.</param>
    public string EventFor(string blobName, string? container = null, string eventType = "Microsoft.Storage.BlobCreated", Azure.ETag? eTag = null,
        long? contentLength = null) => $$"""
        {"topic":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
         "subject":"/blobServices/default/containers/{{container ?? Storage.Options.TilesContainer}}/blobs/{{blobName}}",
         "eventType":"{{eventType}}","id":"{{Guid.NewGuid()}}","eventTime":"2026-11-26T12:00:00Z",
         "data":{"api":"PutBlob","contentType":"image/png","blobType":"BlockBlob"{{VersionFields(eTag, contentLength)}}},
         "dataVersion":"","metadataVersion":"1"}
        """;

    private static string VersionFields(Azure.ETag? eTag, long? contentLength) =>
        (eTag is { } e ? ",\"eTag\":\"" + e.ToString().Trim('"') + "\"" : "") + (contentLength is { } n ? ",\"contentLength\":" + n : "");

    public Task EnqueueAsync(string messageText) => Queue.SendMessageAsync(messageText);

    /// <summary>Receives and handles batches until the queue is empty.</summary>
    public async Task DrainAsync(CancellationToken stoppingToken = default)
    {
        for (int round = 0; round < 50; round++)
        {
            var batch = await TileQueue.ReceiveBatchAsync(stoppingToken);
            if (batch.Count == 0)
            {
                return;
            }

            await Worker.HandleBatchAsync(batch, stoppingToken);
        }

        throw new InvalidOperationException("The queue did not drain in 50 batches.");
    }

    public async Task<int> VisibleMessagesAsync(QueueClient queue) => (await queue.PeekMessagesAsync(32)).Value.Length;

    public async ValueTask DisposeAsync()
    {
        await Queue.DeleteIfExistsAsync();
        await Poison.DeleteIfExistsAsync();
        await Storage.DisposeAsync();
    }
}
