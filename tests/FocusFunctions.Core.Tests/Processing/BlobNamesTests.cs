using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Tests.Processing;

[Collection(AzuriteCollection.Name)]
public sealed class BlobNamesTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/../y.png", "'..'")]
    [InlineData("../rejected/x.png", "'..'")]
    [InlineData("a/./y.png", "'.'")]
    [InlineData(".", "'.'")]
    [InlineData("/x.png", "empty")]
    [InlineData("a//x.png", "empty")]
    [InlineData("a/", "empty")]
    public void Unaddressable_NameAClientWouldRewrite_SaysWhyAndHasNoKey(string name, string expected)
    {
        Assert.Contains(expected, BlobNames.Unaddressable(name));
        Assert.Equal(BlobNames.Unaddressable(name), BlobNames.Refusal(name));
        Assert.Throws<InvalidBlobNameException>(() => new TileKeyResolver(new StorageOptions()).Resolve(name));
    }

    [Theory]
    [InlineData(@"a\..\y.png")]
    [InlineData(@"slide\x.png")]
    public void Refusal_Backslash_RefusedButAddressable(string name)
    {
        Assert.Contains("backslash", BlobNames.Refusal(name));
        Assert.Null(BlobNames.Unaddressable(name));
        var key = new TileKeyResolver(new StorageOptions()).Resolve(name);
        Assert.True(TileKeyResolver.TryDecode(key.PartitionKey, key.RowKey, out var back));
        Assert.Equal(name, back);
    }

    [Theory]
    [InlineData("x.png")]
    [InlineData("_root/x.png")]
    [InlineData("slide/..x.png")]
    [InlineData("slide/x..png")]
    [InlineData(".hidden/x.png")]
    [InlineData("日本/🔬 %41 #?.png")]
    public void Refusal_OrdinaryName_Accepted(string name) => Assert.Null(BlobNames.Refusal(name));

    [Fact]
    public async Task ProcessAsync_BackslashName_QuarantinedWithAFailedRow()
    {
        // Addressable (the SDK escapes the backslash) but refused: the tile is kept, in quarantine, with a row.
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync(@"slide\x.png", TestTiles.Sharp);
        await storage.UploadAsync(@"slide\y.png", TestTiles.Sharp);

        var outcome = await storage.Processor.ProcessAsync(@"slide\x.png", CancellationToken.None);
        var batched = (await storage.Processor.ProcessBatchAsync([@"slide\y.png"], CancellationToken.None)).Single();
        var again = await storage.Processor.ProcessAsync(@"slide\x.png", CancellationToken.None);

        Assert.All(new[] { outcome, batched }, o => Assert.Equal((FocusVerdict.Failed, TileLocation.Quarantine), (o.Verdict, o.Location)));
        Assert.Equal(OutcomeKind.Duplicate, again.Kind);
        // Which separator a copy is listed under is the service's choice (Azurite stores '/'): each tile in one place.
        Assert.Equal(2, (await TestStorage.NamesAsync(storage.Quarantine)).Count);
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
        Assert.Contains("backslash", (await storage.SingleRowAsync(@"slide\x.png")).Error);
        Assert.Contains("backslash", (await storage.SingleRowAsync(@"slide\y.png")).Error);
        Assert.Equal(0, ((LaplacianFocusModel)storage.Model).Calls);
    }

    [Fact]
    public void Refusal_NameOverTheServiceLimit_Refused()
    {
        Assert.Null(BlobNames.Refusal(new string('a', BlobNames.MaxLength)));
        Assert.Contains("limit", BlobNames.Refusal(new string('a', BlobNames.MaxLength + 1)));
    }

    [Fact]
    public async Task ProcessAsync_DotDotName_TouchesNothingAndSaysWhy()
    {
        // A client would collapse "a/../y.png" to "y.png": the tile of that name must not be scored, rowed or moved.
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync("y.png", TestTiles.Defocused);

        var outcome = await storage.Processor.ProcessAsync("a/../y.png", CancellationToken.None);
        var quarantined = await storage.Processor.QuarantineAsync("a/../y.png", null, "poison", CancellationToken.None);
        var batch = await storage.Processor.ProcessBatchAsync(["a/../y.png"], CancellationToken.None);

        Assert.All(new[] { outcome, quarantined, batch[0] }, o =>
        {
            Assert.Equal(OutcomeKind.Skipped, o.Kind);
            Assert.Contains("'..'", o.Reason);
        });
        Assert.Equal(["y.png"], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Empty(await storage.RowsAsync());
        Assert.Equal(0, ((LaplacianFocusModel)storage.Model).Calls);
    }
}
