using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace FocusFunctions.Core.Tests.Processing;

/// <summary>A tile leaves tiles only once its copy is confirmed; a tile that cannot be moved stays there, alone, with a row that says why.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class VerifiedMoveTests(AzuriteFixture azurite)
{
    private const string Name = "slide-9/x001_y000.png";

    [Theory]
    [InlineData(CopyStatus.Failed)]
    [InlineData(CopyStatus.Aborted)]
    public async Task ProcessAsync_AsynchronousCopyEndsUnsuccessful_SourceKeptAndRowSaysWhy(CopyStatus status)
    {
        // Above the synchronous limit (lowered here) the copy runs asynchronously and can end Failed or Aborted.
        await using var storage = await TestStorage.CreateAsync(azurite, syncCopyLimitBytes: 1000);
        await storage.UploadAsync(Name, TestTiles.Defocused);
        storage.Faults.Properties = (container, _, properties) =>
            container == storage.Options.RejectedContainer ? FaultingStorageClients.With(properties, copyStatus: status) : properties;

        var outcome = await storage.Processor.ProcessAsync(Name, CancellationToken.None);

        AssertKeptInTiles(outcome, FocusVerdict.OutOfFocus);
        Assert.Equal([Name], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Empty(await TestStorage.NamesAsync(storage.Rejected));
        var row = await storage.SingleRowAsync(Name);
        Assert.Equal(("Done", "Tiles", "OutOfFocus"), (row.Stage, row.Location, row.Verdict));
        Assert.Contains($"ended {status}", row.Error);
        Assert.Contains($"in {TileMover.MaxCopyAttempts} attempts", row.Error);
    }

    public static TheoryData<string> Mismatches => new() { "length", "md5" };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task ProcessAsync_CopyDiffersFromSource_SourceKept(string mismatch)
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync(Name, TestTiles.Defocused);
        storage.Faults.Properties = (container, _, properties) => container != storage.Options.RejectedContainer
            ? properties
            : mismatch == "length"
                ? FaultingStorageClients.With(properties, contentLength: properties.ContentLength - 1)
                : FaultingStorageClients.With(properties, contentHash: new byte[16]);

        var outcome = await storage.Processor.ProcessAsync(Name, CancellationToken.None);

        AssertKeptInTiles(outcome, FocusVerdict.OutOfFocus);
        Assert.Equal([Name], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Empty(await TestStorage.NamesAsync(storage.Rejected));
        Assert.Contains(mismatch == "length" ? "bytes" : "MD5", (await storage.SingleRowAsync(Name)).Error);
    }

    [Fact]
    public async Task ProcessAsync_CopyMatches_MovedAndTheSourceHashTravelled()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync(Name, TestTiles.Defocused);

        var outcome = await storage.Processor.ProcessAsync(Name, CancellationToken.None);

        Assert.Equal(TileLocation.Rejected, outcome.Location);
        var copy = (await storage.Rejected.GetBlobClient(Name).GetPropertiesAsync()).Value;
        Assert.Equal(System.Security.Cryptography.MD5.HashData(TestTiles.Defocused), copy.ContentHash);
    }

    [Fact]
    public async Task ProcessAsync_LeasedSource_SettledInTilesWithoutLooping()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync(Name, TestTiles.Defocused);
        await storage.Tiles.GetBlobClient(Name).GetBlobLeaseClient().AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration);

        var outcome = await storage.Processor.ProcessAsync(Name, CancellationToken.None);
        var again = await storage.Processor.ProcessAsync(Name, CancellationToken.None);

        AssertKeptInTiles(outcome, FocusVerdict.OutOfFocus);
        Assert.Contains("leased", outcome.Reason);
        Assert.Equal(OutcomeKind.Duplicate, again.Kind);
        Assert.Equal([Name], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Empty(await TestStorage.NamesAsync(storage.Rejected));
        var row = await storage.SingleRowAsync(Name);
        Assert.Equal(("Done", "Tiles"), (row.Stage, row.Location));
        Assert.Contains("Break or release the lease", row.Error);
    }

    [Fact]
    public async Task ProcessAsync_LeaseTakenBetweenCopyAndDelete_CopyRemovedAndTileStaysInTiles()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync(Name, TestTiles.Defocused);
        int leases = 0;
        storage.Faults.AfterCopy = async (_, token) =>
        {
            // The delete of the source is the first delete; the mover's own removal of the copy must not lease again.
            if (Interlocked.Increment(ref leases) == 1)
            {
                await storage.Tiles.GetBlobClient(Name).GetBlobLeaseClient().AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration, cancellationToken: token);
            }
        };

        var outcome = await storage.Processor.ProcessAsync(Name, CancellationToken.None);

        AssertKeptInTiles(outcome, FocusVerdict.OutOfFocus);
        Assert.Equal([Name], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Empty(await TestStorage.NamesAsync(storage.Rejected));
        Assert.Contains("leased", (await storage.SingleRowAsync(Name)).Error);
    }

    [Fact]
    public async Task ProcessAsync_ArchivedTile_FailedRowAndStaysInTiles()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync(Name, TestTiles.Defocused);
        await storage.Tiles.GetBlobClient(Name).SetAccessTierAsync(AccessTier.Archive);

        var outcome = await storage.Processor.ProcessAsync(Name, CancellationToken.None);

        AssertKeptInTiles(outcome, FocusVerdict.Failed);
        Assert.Equal(0, ((LaplacianFocusModel)storage.Model).Calls);
        Assert.Equal([Name], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Empty(await TestStorage.NamesAsync(storage.Quarantine));
        var row = await storage.SingleRowAsync(Name);
        Assert.Equal(("Failed", "Done", "Tiles"), (row.Verdict, row.Stage, row.Location));
        Assert.Equal(1, CountOf(row.Error!, "Archive access tier"));
    }

    private static void AssertKeptInTiles(TileOutcome outcome, FocusVerdict verdict) =>
        Assert.Equal((OutcomeKind.Processed, verdict, TileLocation.Tiles), (outcome.Kind, outcome.Verdict, outcome.Location));

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
