namespace FocusFunctions.Worker.Tests;

[Collection(AzuriteCollection.Name)]
public class TileQueueWorkerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task HandleBatch_MixedTilesAndMessages_SameRowsAndMovesAsTheFunction()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite);
        var storage = harness.Storage;
        await storage.UploadAsync("slide-w/x000_y000.png", TestTiles.Sharp);
        await storage.UploadAsync("slide-w/x001_y000.png", TestTiles.Defocused);
        await storage.UploadAsync("slide-w/x002_y000.png", TestTiles.Background);
        await storage.UploadAsync("slide-w/x003_y000.png", TestTiles.Truncated);
        await storage.UploadAsync("slide-w/x004_y000.png", TestTiles.Text);
        await storage.UploadAsync("slide-w/gone.png", TestTiles.Sharp);
        await storage.Tiles.DeleteBlobAsync("slide-w/gone.png");

        foreach (var name in new[] { "x000_y000", "x001_y000", "x002_y000", "x003_y000", "x004_y000", "x000_y000", "gone" })
        {
            await harness.EnqueueAsync(harness.EventFor($"slide-w/{name}.png"));
        }

        await harness.EnqueueAsync(harness.EventFor("slide-w/x000_y000.png", eventType: "Microsoft.Storage.BlobDeleted"));
        await harness.EnqueueAsync("this is not an event");

        await harness.DrainAsync();

        var rows = (await storage.RowsAsync()).ToDictionary(r => r.BlobName);
        Assert.Equal(5, rows.Count);
        Assert.Equal(nameof(FocusVerdict.InFocus), rows["slide-w/x000_y000.png"].Verdict);
        Assert.Equal(nameof(FocusVerdict.OutOfFocus), rows["slide-w/x001_y000.png"].Verdict);
        Assert.Equal(nameof(FocusVerdict.NoTissue), rows["slide-w/x002_y000.png"].Verdict);
        Assert.Equal(nameof(FocusVerdict.Failed), rows["slide-w/x003_y000.png"].Verdict);
        Assert.Equal(nameof(FocusVerdict.Failed), rows["slide-w/x004_y000.png"].Verdict);
        Assert.All(rows.Values, r => Assert.Equal(nameof(TileStage.Done), r.Stage));
        Assert.Equal(["slide-w/x000_y000.png", "slide-w/x002_y000.png"], (await TestStorage.NamesAsync(storage.Tiles)).Order());
        Assert.Equal(["slide-w/x001_y000.png"], await TestStorage.NamesAsync(storage.Rejected));
        Assert.Equal(["slide-w/x003_y000.png", "slide-w/x004_y000.png"], (await TestStorage.NamesAsync(storage.Quarantine)).Order());
        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Queue));
        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Poison));
    }

    [Fact]
    public async Task HandleBatch_ScaleModel_RowsCarryTheIntervalAndIndeterminateStaysInTiles()
    {
        // The worker's batched path (one model run for all tiles of a batch) reads the scale output too.
        await using var harness = await WorkerHarness.CreateAsync(azurite,
            settings: new Dictionary<string, string?> { ["Scoring:ModelPath"] = RepositoryPaths.ScaleFixtureModel });
        var storage = harness.Storage;
        await storage.UploadAsync("slide-u/x000_y000.jpg", TestTiles.FlatStain("eosin"));
        await storage.UploadAsync("slide-u/x001_y000.png", TestTiles.Sharp);
        await storage.UploadAsync("slide-u/x002_y000.png", TestTiles.Defocused);
        foreach (var name in new[] { "x000_y000.jpg", "x001_y000.png", "x002_y000.png" })
        {
            await harness.EnqueueAsync(harness.EventFor($"slide-u/{name}"));
        }

        await harness.DrainAsync();

        Assert.True(storage.Model.PredictsScale);
        var rows = (await storage.RowsAsync()).ToDictionary(r => r.BlobName);
        var flat = rows["slide-u/x000_y000.jpg"];
        Assert.Equal((nameof(FocusVerdict.Indeterminate), nameof(TileLocation.Tiles), nameof(TileStage.Done)), (flat.Verdict, flat.Location, flat.Stage));
        Assert.Contains("tissue patches could be judged", flat.VerdictReason);
        Assert.True(flat.DefocusLowMicrons <= 2 && flat.DefocusHighMicrons > 2);
        Assert.False(string.IsNullOrEmpty(flat.PatchJudgements));
        Assert.Equal(nameof(FocusVerdict.InFocus), rows["slide-u/x001_y000.png"].Verdict);
        Assert.True(rows["slide-u/x001_y000.png"].DefocusHighMicrons <= 2);
        Assert.Equal(nameof(FocusVerdict.OutOfFocus), rows["slide-u/x002_y000.png"].Verdict);
        Assert.True(rows["slide-u/x002_y000.png"].DefocusLowMicrons > 2);
        Assert.Equal(["slide-u/x000_y000.jpg", "slide-u/x001_y000.png"], (await TestStorage.NamesAsync(storage.Tiles)).Order());
    }

    [Fact]
    public async Task HandleBatch_RepeatedEventsAfterProcessing_ChangeNothing()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite);
        await harness.Storage.UploadAsync("slide-r/x000_y000.png", TestTiles.Defocused);
        await harness.EnqueueAsync(harness.EventFor("slide-r/x000_y000.png"));
        await harness.DrainAsync();
        var first = await harness.Storage.SingleRowAsync("slide-r/x000_y000.png");

        await harness.EnqueueAsync(harness.EventFor("slide-r/x000_y000.png"));
        await harness.EnqueueAsync(harness.EventFor("slide-r/x000_y000.png"));
        await harness.DrainAsync();

        var again = await harness.Storage.SingleRowAsync("slide-r/x000_y000.png");
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal(["slide-r/x000_y000.png"], await TestStorage.NamesAsync(harness.Storage.Rejected));
        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Queue));
    }

    [Fact]
    public async Task HandleBatch_MessageDeliveredTooOften_GoesToPoisonAndTileToQuarantine()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite, o => o.MaxDequeueCount = 1);
        await harness.Storage.UploadAsync("slide-p/x000_y000.png", TestTiles.Sharp);
        await harness.EnqueueAsync(harness.EventFor("slide-p/x000_y000.png"));

        // A first delivery whose reader died: the message comes back with a dequeue count of 2.
        await harness.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await harness.DrainAsync();

        var row = await harness.Storage.SingleRowAsync("slide-p/x000_y000.png");
        Assert.Equal(nameof(FocusVerdict.Failed), row.Verdict);
        Assert.Contains("did not finish in 1 deliveries", row.Error);
        Assert.Equal(nameof(TileLocation.Quarantine), row.Location);
        Assert.Equal(["slide-p/x000_y000.png"], await TestStorage.NamesAsync(harness.Storage.Quarantine));
        Assert.Empty(await TestStorage.NamesAsync(harness.Storage.Tiles));
        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Queue));
        Assert.Equal(1, await harness.VisibleMessagesAsync(harness.Poison));
    }

    [Fact]
    public async Task HandleBatch_QuarantineOfAPoisonedTileFails_TheRestOfTheBatchStillCompletes()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite, o => o.MaxDequeueCount = 1);
        await harness.Storage.UploadAsync("slide-q/x000_y000.png", TestTiles.Sharp);
        await harness.Storage.UploadAsync("slide-q/x001_y000.png", TestTiles.Defocused);
        await harness.EnqueueAsync(harness.EventFor("slide-q/x000_y000.png"));
        await harness.Queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await harness.EnqueueAsync(harness.EventFor("slide-q/x001_y000.png"));
        harness.Storage.Faults.AfterCopy = (blob, _) =>
            blob == "slide-q/x000_y000.png" ? throw new SimulatedCrashException() : Task.CompletedTask;

        var batch = await harness.TileQueue.ReceiveBatchAsync(CancellationToken.None);
        Assert.Equal(2, batch.Count);
        await harness.Worker.HandleBatchAsync(batch, CancellationToken.None);

        Assert.Equal(["slide-q/x001_y000.png"], await TestStorage.NamesAsync(harness.Storage.Rejected));
        Assert.Equal(nameof(TileStage.Done), (await harness.Storage.SingleRowAsync("slide-q/x001_y000.png")).Stage);
        // The poisoned message is neither lost nor poisoned yet: it comes back after its lease.
        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Poison));
        await Task.Delay(harness.Options.VisibilityTimeout + TimeSpan.FromSeconds(1));
        var back = await harness.Queue.ReceiveMessagesAsync(32);
        Assert.Equal(["slide-q/x000_y000.png"], back.Value.Select(m => BlobCreatedEvent.TryParse(m.MessageText, out _)!.Value.BlobName));
    }

    [Fact]
    public async Task HandleBatch_ShutdownMidBatch_ReleasesMessagesAndTheNextRunFinishes()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite);
        await harness.Storage.UploadAsync("slide-s/x000_y000.png", TestTiles.Defocused);
        await harness.EnqueueAsync(harness.EventFor("slide-s/x000_y000.png"));
        using var stopping = new CancellationTokenSource();
        harness.Storage.Faults.BeforeMove = async (_, token) =>
        {
            // SIGTERM arrives while the tile is between scoring and moving; the batch waits on the cancellation.
            await stopping.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
        };

        var batch = await harness.TileQueue.ReceiveBatchAsync(CancellationToken.None);
        await harness.Worker.HandleBatchAsync(batch, stopping.Token);

        // Released at once (not after its 10 s lease), so another replica can take it now.
        Assert.Equal(1, await harness.VisibleMessagesAsync(harness.Queue));
        harness.Storage.Faults.BeforeMove = null;
        await harness.DrainAsync();
        var row = await harness.Storage.SingleRowAsync("slide-s/x000_y000.png");
        Assert.Equal(nameof(TileStage.Done), row.Stage);
        Assert.Equal(["slide-s/x000_y000.png"], await TestStorage.NamesAsync(harness.Storage.Rejected));
        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Queue));
    }

    [Fact]
    public async Task KeepLeases_LongBatch_RenewsVisibility()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite, o => o.VisibilityTimeout = TimeSpan.FromSeconds(2));
        await harness.EnqueueAsync(harness.EventFor("slide-l/x000_y000.png"));
        var batch = await harness.TileQueue.ReceiveBatchAsync(CancellationToken.None);
        string firstReceipt = batch[0].PopReceipt;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3.5));

        await harness.TileQueue.KeepLeasesAsync(batch, stop.Token);

        // 3.5 s after a 2 s lease the message would be visible again without renewal.
        Assert.NotEqual(firstReceipt, batch[0].PopReceipt);
        Assert.Equal(0, await harness.VisibleMessagesAsync(harness.Queue));
        await harness.TileQueue.DeleteAsync(batch[0], CancellationToken.None);
    }
}
