using Azure.Storage.Queues.Models;

namespace FocusFunctions.Worker.Tests;

/// <summary>A tile that crashes the process is quarantined alone; poison acts on the event's version; stale receipts are survivable.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerIsolationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CrashingTile_FoundByItsOwnDequeueCount_QuarantinedAloneWhileItsBatchMatesAreScored()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite, o =>
        {
            o.MaxDequeueCount = 3;
            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
        });
        const string crasher = "slide-c/x003_y000.png";
        var tiles = new Dictionary<string, byte[]>
        {
            ["slide-c/x000_y000.png"] = TestTiles.Sharp,
            ["slide-c/x001_y000.png"] = TestTiles.Defocused,
            ["slide-c/x002_y000.png"] = TestTiles.SecondSharp,
            [crasher] = TestTiles.Marked(TestTiles.Sharp),
        };
        foreach (var (name, content) in tiles)
        {
            await harness.EnqueueAsync(harness.EventFor(name, eTag: await harness.Storage.UploadAsync(name, content), contentLength: content.Length));
        }

        // The process dies whenever it would score the crasher: nothing of that batch is finished or deleted, and its
        // messages come back after their lease with one more delivery counted.
        var crashedBatchSizes = new List<int>();
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while ((await harness.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0 && DateTime.UtcNow < deadline)
        {
            var batch = await harness.TileQueue.ReceiveBatchAsync(CancellationToken.None);
            if (batch.Any(m => m.BlobName == crasher && m.Message.DequeueCount <= harness.Options.MaxDequeueCount))
            {
                crashedBatchSizes.Add(batch.Count);
            }
            else if (batch.Count > 0)
            {
                await harness.Worker.HandleBatchAsync(batch, CancellationToken.None);
            }
            else
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal([4, 1, 1], crashedBatchSizes);
        var rows = (await harness.Storage.RowsAsync()).ToDictionary(r => r.BlobName);
        Assert.Equal(["InFocus", "OutOfFocus", "InFocus", "Failed"], tiles.Keys.Select(k => rows[k].Verdict));
        Assert.Contains("did not finish in 3 deliveries", rows[crasher].Error);
        Assert.Equal([crasher], await TestStorage.NamesAsync(harness.Storage.Quarantine));
        Assert.Equal(["slide-c/x001_y000.png"], await TestStorage.NamesAsync(harness.Storage.Rejected));
        Assert.Equal(1, await harness.VisibleMessagesAsync(harness.Poison));
    }

    [Fact]
    public async Task PoisonedEvent_ForAVersionSinceReplaced_NewerUploadIsScoredNotQuarantined()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite, o => o.MaxDequeueCount = 1);
        const string name = "slide-v/x000_y000.png";
        var poisoned = await harness.Storage.UploadAsync(name, TestTiles.Sharp);
        await harness.EnqueueAsync(harness.EventFor(name, eTag: poisoned));
        await harness.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var newer = await harness.Storage.UploadAsync(name, TestTiles.Defocused);

        await harness.DrainAsync();

        Assert.Equal(1, await harness.VisibleMessagesAsync(harness.Poison));
        Assert.Empty(await harness.Storage.RowsAsync());
        Assert.Equal([name], await TestStorage.NamesAsync(harness.Storage.Tiles));
        await harness.EnqueueAsync(harness.EventFor(name, eTag: newer));
        await harness.DrainAsync();
        var row = await harness.Storage.SingleRowAsync(name);
        Assert.Equal(("OutOfFocus", "Rejected", newer.ToString()), (row.Verdict, row.Location, row.SourceETag));
        Assert.Empty(await TestStorage.NamesAsync(harness.Storage.Quarantine));
    }

    [Fact]
    public async Task StaleReceipt_DeleteAndPoison_NeitherThrowNorLeaveACopyInThePoisonQueue()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite, o => o.VisibilityTimeout = TimeSpan.FromSeconds(1));
        await harness.EnqueueAsync(harness.EventFor("slide-r/x000_y000.png"));
        var stale = (await harness.TileQueue.ReceiveBatchAsync(CancellationToken.None)).Single();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        // Another reader took it after the lease lapsed: the first reader's receipt no longer matches.
        var current = (await harness.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value.Single();

        Assert.False(await harness.TileQueue.DeleteAsync(stale, CancellationToken.None));
        await harness.TileQueue.PoisonAsync(stale, CancellationToken.None);
        await harness.TileQueue.ReleaseAsync(stale, CancellationToken.None);

        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Poison));
        Assert.Equal(1, (await harness.Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        await harness.Queue.DeleteMessageAsync(current.MessageId, current.PopReceipt);
    }

    [Fact]
    public async Task HandleBatch_OneFinishedMessageWithAStaleReceipt_TheOthersAreStillDeleted()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite);
        foreach (var name in new[] { "slide-d/x000_y000.png", "slide-d/x001_y000.png", "slide-d/x002_y000.png" })
        {
            await harness.Storage.UploadAsync(name, TestTiles.Sharp);
            await harness.EnqueueAsync(harness.EventFor(name));
        }

        var batch = await harness.TileQueue.ReceiveBatchAsync(CancellationToken.None);
        // Someone else renews the first message's lease: the receipt the worker holds goes stale.
        await harness.Queue.UpdateMessageAsync(batch[0].Message.MessageId, batch[0].PopReceipt, visibilityTimeout: TimeSpan.FromSeconds(1));
        await harness.Worker.HandleBatchAsync(batch, CancellationToken.None);

        Assert.Equal(3, (await harness.Storage.RowsAsync()).Count);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var left = (await harness.Queue.PeekMessagesAsync(32)).Value;
        Assert.Equal([batch[0].Message.MessageId], left.Select(m => m.MessageId));
    }

    [Fact]
    public void BatchBudget_SplitsByBytesAndTiles_ATileAboveTheBudgetGoesAlone()
    {
        long[] sizes = [600_000, 600_000, 100_000, 2_000_000, 10_000, 10_000, 10_000];
        var messages = sizes.Select((size, i) => Message($"slide/x{i:000}_y000.png", size)).ToList();

        var batches = BatchBudget.Split(messages, m => m.Upload!.ContentLength!.Value, maxBytes: 1_000_000, maxTiles: 2).ToList();

        Assert.Equal([[600_000], [600_000, 100_000], [2_000_000], [10_000, 10_000], [10_000]],
            batches.Select(b => b.Select(m => m.Upload!.ContentLength!.Value).ToArray()));
    }

    [Fact]
    public async Task BatchBytes_EventWithoutALength_CountsAsTheWholeBudget()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite, o => o.MaxBatchBytes = 8 << 20);

        Assert.Equal(5_000, harness.TileQueue.BatchBytes(Message("a.png", 5_000)));
        Assert.Equal(8 << 20, harness.TileQueue.BatchBytes(Message("a.png", null)));
    }

    private static LeasedMessage Message(string blobName, long? length) => new(
        QueuesModelFactory.QueueMessage(Guid.NewGuid().ToString(), "receipt", "{}", 1),
        new BlobUpload("tiles", blobName, "0x1", length), null);
}
