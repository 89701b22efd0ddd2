using FocusFunctions.App.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class ProcessTileFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_UploadedTiles_ScoredRecordedAndMoved()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<ProcessTileFunction>(storage.Services);
        var tiles = new Dictionary<string, byte[]>
        {
            ["scan-1/x000_y000.png"] = TestTiles.Sharp,
            ["scan-1/x001_y000.png"] = TestTiles.Defocused,
            ["scan-1/x002_y000.png"] = TestTiles.Background,
            ["scan-1/x003_y000.png"] = TestTiles.Empty,
        };
        foreach (var (name, content) in tiles)
        {
            await storage.UploadAsync(name, content);
        }

        foreach (var name in tiles.Keys)
        {
            await function.Run(storage.Tiles.GetBlobClient(name), name, CancellationToken.None);
        }

        Assert.Equal(["scan-1/x000_y000.png", "scan-1/x002_y000.png"], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal(["scan-1/x001_y000.png"], await TestStorage.NamesAsync(storage.Rejected));
        Assert.Equal(["scan-1/x003_y000.png"], await TestStorage.NamesAsync(storage.Quarantine));
        var rows = (await storage.RowsAsync()).ToDictionary(r => r.BlobName);
        Assert.Equal(["InFocus", "OutOfFocus", "NoTissue", "Failed"], tiles.Keys.Select(k => rows[k].Verdict));
        Assert.All(rows.Values, r => Assert.Equal(("Done", "scan-1"), (r.Stage, r.PartitionKey)));
    }

    [Fact]
    public async Task Run_ScaleModel_WritesTheIntervalAndReasonAndLeavesTheIndeterminateTileInTiles()
    {
        await using var storage = await TestStorage.CreateAsync(azurite, useRealModelIfPresent: true,
            settings: new Dictionary<string, string?> { ["Scoring:ModelPath"] = RepositoryPaths.ScaleFixtureModel });
        var function = ActivatorUtilities.CreateInstance<ProcessTileFunction>(storage.Services);
        const string flat = "scan-u/x000_y000.jpg", sharp = "scan-u/x001_y000.png";
        await storage.UploadAsync(flat, TestTiles.FlatStain("haematoxylin"));
        await storage.UploadAsync(sharp, TestTiles.Sharp);

        await function.Run(storage.Tiles.GetBlobClient(flat), flat, CancellationToken.None);
        await function.Run(storage.Tiles.GetBlobClient(sharp), sharp, CancellationToken.None);

        Assert.Equal([flat, sharp], await TestStorage.NamesAsync(storage.Tiles));
        var flatRow = await storage.SingleRowAsync(flat);
        Assert.Equal(("Indeterminate", "Done", "Tiles"), (flatRow.Verdict, flatRow.Stage, flatRow.Location));
        Assert.Contains("could be judged at the 2 µm threshold", flatRow.VerdictReason);
        Assert.True(flatRow.DefocusLowMicrons <= 2 && flatRow.DefocusHighMicrons > 2);
        var sharpRow = await storage.SingleRowAsync(sharp);
        Assert.Equal("InFocus", sharpRow.Verdict);
        Assert.True(sharpRow.DefocusLowMicrons <= sharpRow.DefocusMicrons && sharpRow.DefocusHighMicrons <= 2);
    }

    [Fact]
    public async Task Run_EventDeliveredTwice_SecondDeliveryScoresNothing()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<ProcessTileFunction>(storage.Services);
        const string name = "scan-2/x000_y000.png";
        await storage.UploadAsync(name, TestTiles.Defocused);

        await function.Run(storage.Tiles.GetBlobClient(name), name, CancellationToken.None);
        var first = await storage.SingleRowAsync(name);
        await function.Run(storage.Tiles.GetBlobClient(name), name, CancellationToken.None);

        var second = await storage.SingleRowAsync(name);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(1, ((LaplacianFocusModel)storage.Model).Calls);
    }
}
