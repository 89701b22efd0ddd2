using FocusFunctions.App.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Functions;

/// <summary>The blob trigger's poison queue: the message's blob version is quarantined with a row; a newer upload is not.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PoisonTileFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_PoisonMessageForTheCurrentVersion_FailedRowAndQuarantine()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<PoisonTileFunction>(storage.Services);
        const string name = "scan-p/x000_y000.png";
        var etag = await storage.UploadAsync(name, TestTiles.Sharp);

        await function.Run(PoisonMessage(storage.Options.TilesContainer, name, etag.ToString()), CancellationToken.None);

        var row = await storage.SingleRowAsync(name);
        Assert.Equal(("Failed", "Quarantine", "Done"), (row.Verdict, row.Location, row.Stage));
        Assert.Contains("failed on every retry of the Function", row.Error);
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Quarantine));
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
    }

    [Fact]
    public async Task Run_PoisonMessageForAReplacedVersion_NewerUploadStaysAndIsScoredByItsOwnEvent()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var poison = ActivatorUtilities.CreateInstance<PoisonTileFunction>(storage.Services);
        var process = ActivatorUtilities.CreateInstance<ProcessTileFunction>(storage.Services);
        const string name = "scan-p/x001_y000.png";
        var old = await storage.UploadAsync(name, TestTiles.Sharp);
        await storage.UploadAsync(name, TestTiles.Defocused);

        await poison.Run(PoisonMessage(storage.Options.TilesContainer, name, old.ToString()), CancellationToken.None);
        Assert.Empty(await storage.RowsAsync());
        await process.Run(storage.Tiles.GetBlobClient(name), name, CancellationToken.None);

        Assert.Equal(("OutOfFocus", "Rejected"), ((await storage.SingleRowAsync(name)).Verdict, (await storage.SingleRowAsync(name)).Location));
        Assert.Empty(await TestStorage.NamesAsync(storage.Quarantine));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Type":"BlobTrigger","ContainerName":"other-container","BlobName":"scan-p/x002_y000.png","ETag":"\"0x1\""}""")]
    [InlineData("""{"Type":"BlobTrigger","ContainerName":"tiles"}""")]
    public async Task Run_MessageNotAboutATile_ChangesNothing(string message)
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<PoisonTileFunction>(storage.Services);
        await storage.UploadAsync("scan-p/x002_y000.png", TestTiles.Sharp);

        await function.Run(message, CancellationToken.None);

        Assert.Empty(await storage.RowsAsync());
        Assert.Equal(["scan-p/x002_y000.png"], await TestStorage.NamesAsync(storage.Tiles));
    }

    /// <summary>What the Functions host writes to webjobs-blobtrigger-poison (its BlobTriggerMessage).</summary>
    private static string PoisonMessage(string container, string blobName, string etag) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Type = "BlobTrigger",
            FunctionId = "Host.Functions.ProcessTile",
            BlobType = "BlockBlob",
            ContainerName = container,
            BlobName = blobName,
            ETag = etag,
        });
}
