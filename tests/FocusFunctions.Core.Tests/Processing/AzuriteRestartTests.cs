using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.Core.Tests.Processing;

/// <summary>
/// Storage goes away in the middle of a run: Azurite is killed between a tile's score and its move and comes back a
/// second later, empty (in-memory persistence). The run must ride out the outage without corrupting anything, and a
/// rerun after the scanner re-sends the tiles must leave every tile in exactly one container with exactly one row.
/// Runs on an Azurite of its own so that the outage does not touch other tests.
/// </summary>
public sealed class AzuriteRestartTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    [Fact]
    public async Task SweepAsync_AzuriteRestartedBetweenScoreAndMove_RerunLeavesEveryTileInOneContainerWithOneRow()
    {
        await using var storage = await TestStorage.CreateAsync(_azurite);
        var sweeper = storage.Services.GetRequiredService<PendingTileSweeper>();
        var tiles = new Dictionary<string, byte[]>
        {
            ["slide-r/x000_y000.png"] = TestTiles.Sharp,
            ["slide-r/x001_y000.png"] = TestTiles.Defocused,
            ["slide-r/x002_y000.png"] = TestTiles.SecondSharp,
            ["slide-r/x000_y001.png"] = TestTiles.SecondDefocused,
            ["slide-r/x001_y001.png"] = TestTiles.Background,
            ["slide-r/x002_y001.png"] = TestTiles.Truncated,
        };
        foreach (var (name, content) in tiles)
        {
            await storage.UploadAsync(name, content);
        }

        Task? restart = null;
        int outages = 0;
        storage.Faults.BeforeMove = (_, _) =>
        {
            // Batches record tiles in parallel: only the first to get here takes storage down.
            if (Interlocked.Increment(ref outages) == 1)
            {
                _azurite.Stop();
                restart = Task.Delay(TimeSpan.FromSeconds(1)).ContinueWith(_ => _azurite.StartAsync()).Unwrap();
            }

            return Task.CompletedTask;
        };

        var firstRun = await sweeper.SweepAsync(null, CancellationToken.None);
        Assert.NotNull(restart);
        await restart;
        Assert.Equal(tiles.Count, firstRun.Count);

        // The scanner re-sends what storage lost; the CLI creates containers and table before each run.
        storage.Faults.BeforeMove = null;
        await storage.EnsureCreatedAsync();
        var present = (await TestStorage.NamesAsync(storage.Tiles)).Concat(await TestStorage.NamesAsync(storage.Rejected))
            .Concat(await TestStorage.NamesAsync(storage.Quarantine)).ToHashSet();
        foreach (var (name, content) in tiles.Where(t => !present.Contains(t.Key)))
        {
            await storage.UploadAsync(name, content);
        }

        await sweeper.SweepAsync(null, CancellationToken.None);

        var inTiles = await TestStorage.NamesAsync(storage.Tiles);
        var inRejected = await TestStorage.NamesAsync(storage.Rejected);
        var inQuarantine = await TestStorage.NamesAsync(storage.Quarantine);
        Assert.Equal(tiles.Keys.Order(StringComparer.Ordinal), inTiles.Concat(inRejected).Concat(inQuarantine).Order(StringComparer.Ordinal));
        var rows = await storage.RowsAsync();
        Assert.Equal(tiles.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.BlobName).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("Done", r.Stage));
        Assert.Equal(["slide-r/x000_y001.png", "slide-r/x001_y000.png"], inRejected.Order(StringComparer.Ordinal));
        Assert.Equal(["slide-r/x002_y001.png"], inQuarantine);
        Assert.All(rows, r => Assert.Contains(r.BlobName, r.Location switch
        {
            "Rejected" => inRejected,
            "Quarantine" => inQuarantine,
            _ => inTiles,
        }));
    }
}
