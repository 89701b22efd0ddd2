using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.Core.Tests.Processing;

[Collection(AzuriteCollection.Name)]
public sealed class PendingTileSweeperTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FindPendingAsync_AfterSweepAndReupload_OnlyTheNewVersionIsPending()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var sweeper = storage.Services.GetRequiredService<PendingTileSweeper>();
        await storage.UploadAsync("s/x000_y000.png", TestTiles.Sharp);
        await storage.UploadAsync("s/x001_y000.png", TestTiles.SecondSharp);
        Assert.Equal(2, (await sweeper.FindPendingAsync(CancellationToken.None)).Count);

        var outcomes = await sweeper.SweepAsync(null, CancellationToken.None);
        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Processed, o.Kind));
        Assert.Empty(await sweeper.FindPendingAsync(CancellationToken.None));

        await storage.UploadAsync("s/x001_y000.png", TestTiles.Sharp);

        Assert.Equal(["s/x001_y000.png"], await sweeper.FindPendingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SweepAsync_MoreTilesThanBatchSize_ProcessedInBatchesWithOneModelCallEach()
    {
        await using var storage = await TestStorage.CreateAsync(azurite, settings: new Dictionary<string, string?> { ["Processing:BatchSize"] = "2", ["Scoring:MaxBatchSize"] = "64" });
        var sweeper = storage.Services.GetRequiredService<PendingTileSweeper>();
        for (int x = 0; x < 5; x++)
        {
            await storage.UploadAsync($"s/x{x:000}_y000.png", x % 2 == 0 ? TestTiles.Sharp : TestTiles.Defocused);
        }

        var batches = new List<int>();
        var outcomes = await sweeper.SweepAsync(batch => batches.Add(batch.Count), CancellationToken.None);

        Assert.Equal([2, 2, 1], batches);
        Assert.Equal(3, ((LaplacianFocusModel)storage.Model).Calls);
        Assert.Equal(5, outcomes.Count);
        Assert.Equal(2, (await TestStorage.NamesAsync(storage.Rejected)).Count);
    }
    [Fact]
    public async Task SweepAsync_RowLeftMovingAfterItsBlobLeftTiles_IsFinishedInItsDestination()
    {
        // A crash between the move's delete and the row's last write leaves the tile in rejected and its row Moving;
        // the blob is no longer listed in tiles, so only the row can bring it back to the sweep.
        await using var storage = await TestStorage.CreateAsync(azurite);
        var sweeper = storage.Services.GetRequiredService<PendingTileSweeper>();
        await storage.UploadAsync("s/x000_y000.png", TestTiles.Defocused);
        await sweeper.SweepAsync(null, CancellationToken.None);
        var row = await storage.SingleRowAsync("s/x000_y000.png");
        Assert.Equal(("Done", "Rejected"), (row.Stage, row.Location));
        row.Stage = nameof(TileStage.Moving);
        await storage.Results.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace);

        Assert.Equal(["s/x000_y000.png"], await sweeper.FindPendingAsync(CancellationToken.None));
        await sweeper.SweepAsync(null, CancellationToken.None);

        row = await storage.SingleRowAsync("s/x000_y000.png");
        Assert.Equal(("Done", "Rejected"), (row.Stage, row.Location));
        Assert.Equal(["s/x000_y000.png"], await TestStorage.NamesAsync(storage.Rejected));
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
        Assert.Empty(await sweeper.FindPendingAsync(CancellationToken.None));
    }
}
