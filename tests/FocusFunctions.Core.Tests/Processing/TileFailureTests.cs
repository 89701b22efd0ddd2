namespace FocusFunctions.Core.Tests.Processing;

/// <summary>Every exception becomes a result: a fault on a tile's data is its Failed row; a poisoned event quarantines its own version only.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TileFailureTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ProcessAsync_ModelFaultsOnTheTile_FailedRowWithTheErrorAndQuarantined()
    {
        var model = new FaultingFocusModel(() => new InvalidOperationException("Non-finite output at node 'head'."));
        await using var storage = await TestStorage.CreateAsync(azurite, model: model);
        const string name = "slide-f/x000_y000.png";
        await storage.UploadAsync(name, TestTiles.Marked(TestTiles.Sharp));

        var outcome = await storage.Processor.ProcessAsync(name, CancellationToken.None);

        Assert.Equal((OutcomeKind.Processed, FocusVerdict.Failed, TileLocation.Quarantine), (outcome.Kind, outcome.Verdict, outcome.Location));
        var row = await storage.SingleRowAsync(name);
        Assert.Equal(("Failed", "Quarantine", "Done"), (row.Verdict, row.Location, row.Stage));
        Assert.Equal("Scoring failed (InvalidOperationException): Non-finite output at node 'head'.", row.Error);
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Quarantine));
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
    }

    [Fact]
    public async Task ProcessBatchAsync_ModelFaultsOnOneTile_ThatTileQuarantinedAndItsBatchMatesScored()
    {
        var model = new FaultingFocusModel(() => new InvalidOperationException("CUDA kernel failed on this input."));
        await using var storage = await TestStorage.CreateAsync(azurite, model: model);
        var tiles = new Dictionary<string, byte[]>
        {
            ["slide-g/x000_y000.png"] = TestTiles.Sharp,
            ["slide-g/x001_y000.png"] = TestTiles.Marked(TestTiles.Sharp),
            ["slide-g/x002_y000.png"] = TestTiles.Defocused,
        };
        foreach (var (name, content) in tiles)
        {
            await storage.UploadAsync(name, content);
        }

        var outcomes = await storage.Processor.ProcessBatchAsync([.. tiles.Keys], CancellationToken.None);

        Assert.Equal([FocusVerdict.InFocus, FocusVerdict.Failed, FocusVerdict.OutOfFocus], outcomes.Select(o => o.Verdict));
        Assert.Equal(["slide-g/x000_y000.png"], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal(["slide-g/x001_y000.png"], await TestStorage.NamesAsync(storage.Quarantine));
        Assert.Equal(["slide-g/x002_y000.png"], await TestStorage.NamesAsync(storage.Rejected));
        Assert.Equal(3, (await storage.RowsAsync()).Count);
    }

    [Fact]
    public async Task ProcessAsync_OutOfMemory_IsNotBlamedOnTheTile()
    {
        var model = new FaultingFocusModel(() => new OutOfMemoryException());
        await using var storage = await TestStorage.CreateAsync(azurite, model: model);
        const string name = "slide-h/x000_y000.png";
        await storage.UploadAsync(name, TestTiles.Marked(TestTiles.Sharp));

        await Assert.ThrowsAsync<OutOfMemoryException>(() => storage.Processor.ProcessAsync(name, CancellationToken.None));

        Assert.Empty(await storage.RowsAsync());
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Tiles));
    }

    [Fact]
    public async Task QuarantineAsync_TheEventsVersion_FailedRowSaysWhyAndTileQuarantined()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        const string name = "slide-p/x000_y000.png";
        var etag = await storage.UploadAsync(name, TestTiles.Sharp);

        // Events carry the ETag unquoted; SDK headers quote it.
        var outcome = await storage.Processor.QuarantineAsync(name, etag.ToString().Trim('"'), "Crashed the host three times.", CancellationToken.None);

        Assert.Equal((FocusVerdict.Failed, TileLocation.Quarantine), (outcome.Verdict, outcome.Location));
        var row = await storage.SingleRowAsync(name);
        Assert.Equal(("Failed", "Quarantine", "Done", "Crashed the host three times."), (row.Verdict, row.Location, row.Stage, row.Error));
        Assert.Equal(etag.ToString(), row.SourceETag);
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Quarantine));
    }

    [Fact]
    public async Task QuarantineAsync_EventForAReplacedVersion_NewerUploadIsLeftToBeScoredNormally()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        const string name = "slide-p/x001_y000.png";
        var poisoned = await storage.UploadAsync(name, TestTiles.Sharp);
        await storage.UploadAsync(name, TestTiles.SecondSharp);

        var outcome = await storage.Processor.QuarantineAsync(name, poisoned.ToString(), "Crashed the host three times.", CancellationToken.None);

        Assert.Equal((OutcomeKind.Skipped, TileLocation.Tiles), (outcome.Kind, outcome.Location));
        Assert.Empty(await storage.RowsAsync());
        Assert.Empty(await TestStorage.NamesAsync(storage.Quarantine));
        var scored = await storage.Processor.ProcessAsync(name, CancellationToken.None);
        Assert.Equal((OutcomeKind.Processed, FocusVerdict.InFocus, TileLocation.Tiles), (scored.Kind, scored.Verdict, scored.Location));
    }

    [Fact]
    public async Task QuarantineAsync_EventVersionAlreadyScored_RowAndPlaceUnchanged()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        const string name = "slide-p/x002_y000.png";
        var etag = await storage.UploadAsync(name, TestTiles.Defocused);
        await storage.Processor.ProcessAsync(name, CancellationToken.None);
        var before = await storage.SingleRowAsync(name);

        var outcome = await storage.Processor.QuarantineAsync(name, etag.ToString(), "Late poison message.", CancellationToken.None);

        Assert.Equal(OutcomeKind.Duplicate, outcome.Kind);
        Assert.Equal(before.ETag, (await storage.SingleRowAsync(name)).ETag);
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Rejected));
        Assert.Empty(await TestStorage.NamesAsync(storage.Quarantine));
    }
}
