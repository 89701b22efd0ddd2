using Azure;
using Azure.Storage.Blobs.Models;

namespace FocusFunctions.Core.Tests.Processing;

[Collection(AzuriteCollection.Name)]
public sealed class TileProcessorTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ProcessAsync_SharpAndDefocusedTiles_SharpStaysAndDefocusedIsRejected()
    {
        await using var storage = await TestStorage.CreateAsync(azurite, useRealModelIfPresent: true);
        var sharpETag = await storage.UploadAsync("slide-1/x000_y000.png", TestTiles.Sharp);
        var blurredETag = await storage.UploadAsync("slide-1/x001_y000.png", TestTiles.Defocused);

        var sharp = await storage.Processor.ProcessAsync("slide-1/x000_y000.png", CancellationToken.None);
        var blurred = await storage.Processor.ProcessAsync("slide-1/x001_y000.png", CancellationToken.None);

        Assert.Equal((OutcomeKind.Processed, FocusVerdict.InFocus, TileLocation.Tiles), (sharp.Kind, sharp.Verdict, sharp.Location));
        Assert.Equal((OutcomeKind.Processed, FocusVerdict.OutOfFocus, TileLocation.Rejected), (blurred.Kind, blurred.Verdict, blurred.Location));
        Assert.Equal(["slide-1/x000_y000.png"], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal(["slide-1/x001_y000.png"], await TestStorage.NamesAsync(storage.Rejected));

        var sharpRow = await storage.SingleRowAsync("slide-1/x000_y000.png");
        Assert.Equal(("slide-1", "x000_y000.png", "Done", "Tiles", sharpETag.ToString()), (sharpRow.PartitionKey, sharpRow.RowKey, sharpRow.Stage, sharpRow.Location, sharpRow.SourceETag));
        Assert.True(sharpRow.DefocusMicrons < sharpRow.ThresholdMicrons);
        Assert.Equal((0, 0), (sharpRow.TileX, sharpRow.TileY));
        Assert.Equal((512, 512), (sharpRow.Width, sharpRow.Height));
        Assert.Equal(storage.Model.Card.Version, sharpRow.ModelVersion);
        Assert.Equal(sharpRow.GridColumns * sharpRow.GridRows, ResultRows.ParsePatchDefocus(sharpRow.PatchDefocus).Length);
        Assert.Null(sharpRow.Error);

        var blurredRow = await storage.SingleRowAsync("slide-1/x001_y000.png");
        Assert.Equal(("Done", "Rejected", "OutOfFocus", blurredETag.ToString()), (blurredRow.Stage, blurredRow.Location, blurredRow.Verdict, blurredRow.SourceETag));
        Assert.True(blurredRow.DefocusMicrons > blurredRow.ThresholdMicrons);
        Assert.Equal((1, 0), (blurredRow.TileX, blurredRow.TileY));

        var metadata = (await storage.Rejected.GetBlobClient("slide-1/x001_y000.png").GetPropertiesAsync()).Value.Metadata;
        Assert.Equal(storage.Model.Card.Version, metadata[MetadataKeys.ModelVersion]);
        Assert.Equal(blurredETag.ToString(), metadata[MetadataKeys.SourceETag]);
        Assert.Equal(blurredRow.DefocusMicrons!.Value, double.Parse(metadata[MetadataKeys.DefocusMicrons], System.Globalization.CultureInfo.InvariantCulture), 3);
    }

    [Fact]
    public async Task ProcessAsync_ScaleModel_FlatStainIndeterminateStaysInTilesWithItsReasonAndTheIntervalIsStored()
    {
        // The host's own wiring: Scoring:ModelPath names the fixture, whose card beside it names the scale output.
        await using var storage = await TestStorage.CreateAsync(azurite, useRealModelIfPresent: true,
            settings: new Dictionary<string, string?> { ["Scoring:ModelPath"] = RepositoryPaths.ScaleFixtureModel });
        await storage.UploadAsync("slide-1/x000_y000.jpg", TestTiles.FlatStain("eosin"));
        await storage.UploadAsync("slide-1/x001_y000.png", TestTiles.Sharp);
        await storage.UploadAsync("slide-1/x002_y000.png", TestTiles.Defocused);

        var outcomes = await storage.Processor.ProcessBatchAsync(["slide-1/x000_y000.jpg", "slide-1/x001_y000.png", "slide-1/x002_y000.png"], CancellationToken.None);

        Assert.Equal([FocusVerdict.Indeterminate, FocusVerdict.InFocus, FocusVerdict.OutOfFocus], outcomes.Select(o => o.Verdict));
        Assert.Equal(["slide-1/x000_y000.jpg", "slide-1/x001_y000.png"], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal(["slide-1/x002_y000.png"], await TestStorage.NamesAsync(storage.Rejected));
        var flat = await storage.SingleRowAsync("slide-1/x000_y000.jpg");
        Assert.Equal(("Indeterminate", "Done", "Tiles", "1.1.0-scale-fixture"), (flat.Verdict, flat.Stage, flat.Location, flat.ModelVersion));
        Assert.Contains("tissue patches could be judged at the 2 µm threshold (need 50 %)", flat.VerdictReason);
        Assert.True(flat.DefocusLowMicrons <= 2 && flat.DefocusHighMicrons > 2);
        Assert.All(ResultRows.ParsePatchJudgements(flat.PatchJudgements).Where(j => j is not null), j => Assert.Equal(PatchJudgement.Undecided, j));
        Assert.Null(flat.Error);
        var sharp = await storage.SingleRowAsync("slide-1/x001_y000.png");
        Assert.True(sharp.DefocusHighMicrons <= 2);
        Assert.Null(sharp.VerdictReason);
        var blurred = await storage.SingleRowAsync("slide-1/x002_y000.png");
        Assert.True(blurred.DefocusLowMicrons > 2);
    }

    [Fact]
    public async Task ProcessAsync_BackgroundTile_NoTissueStaysInTiles()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync("slide-1/x002_y000.png", TestTiles.Background);

        var outcome = await storage.Processor.ProcessAsync("slide-1/x002_y000.png", CancellationToken.None);

        Assert.Equal((FocusVerdict.NoTissue, TileLocation.Tiles), (outcome.Verdict, outcome.Location));
        var row = await storage.SingleRowAsync("slide-1/x002_y000.png");
        Assert.Equal(("NoTissue", "Done", 0), (row.Verdict, row.Stage, row.PatchCount));
        Assert.Null(row.DefocusMicrons);
        Assert.Single(await TestStorage.NamesAsync(storage.Tiles));
    }

    public static TheoryData<string, byte[], string> BrokenInputs => new()
    {
        { "truncated.png", TestTiles.Truncated, "truncated or corrupt" },
        { "empty.png", TestTiles.Empty, "empty" },
        { "text.png", TestTiles.Text, "Not a supported image" },
        { "huge-header.png", TestTiles.HugeHeader, "100000x100000" },
    };

    [Theory]
    [MemberData(nameof(BrokenInputs))]
    public async Task ProcessAsync_BrokenInput_QuarantinedWithReadableError(string fileName, byte[] content, string expectedError)
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        string name = $"slide-2/{fileName}";
        await storage.UploadAsync(name, content);

        var outcome = await storage.Processor.ProcessAsync(name, CancellationToken.None);

        Assert.Equal((OutcomeKind.Processed, FocusVerdict.Failed, TileLocation.Quarantine), (outcome.Kind, outcome.Verdict, outcome.Location));
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Quarantine));
        var row = await storage.SingleRowAsync(name);
        Assert.Equal(("Failed", "Quarantine", "Done"), (row.Verdict, row.Location, row.Stage));
        Assert.Contains(expectedError, row.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, ((LaplacianFocusModel)storage.Model).Calls);
    }

    [Fact]
    public async Task ProcessAsync_TileAboveByteLimit_QuarantinedWithoutDownload()
    {
        await using var storage = await TestStorage.CreateAsync(azurite, settings: new Dictionary<string, string?> { ["Scoring:MaxInputBytes"] = "1000" });
        await storage.UploadAsync("slide-2/big.png", TestTiles.Sharp);

        var outcome = await storage.Processor.ProcessAsync("slide-2/big.png", CancellationToken.None);

        Assert.Equal(TileLocation.Quarantine, outcome.Location);
        Assert.Contains("the limit is 1,000 bytes", (await storage.SingleRowAsync("slide-2/big.png")).Error);
    }

    [Fact]
    public async Task ProcessAsync_TileAboveTheSynchronousCopyLimit_MovedWithAnAsynchronousCopy()
    {
        // Azure copies at most 256 MiB synchronously; lower the limit so a small test tile takes the other path.
        await using var storage = await TestStorage.CreateAsync(azurite, syncCopyLimitBytes: 1000);
        await storage.UploadAsync("slide-2/large.png", TestTiles.Defocused);

        var outcome = await storage.Processor.ProcessAsync("slide-2/large.png", CancellationToken.None);

        Assert.Equal((OutcomeKind.Processed, TileLocation.Rejected), (outcome.Kind, outcome.Location));
        var moved = await storage.Rejected.GetBlobClient("slide-2/large.png").GetPropertiesAsync();
        Assert.Equal(TestTiles.Defocused.Length, moved.Value.ContentLength);
        Assert.Equal("OutOfFocus", moved.Value.Metadata[MetadataKeys.Verdict]);
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
    }

    [Fact]
    public async Task ProcessAsync_SecondDelivery_ChangesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync("slide-3/x000_y000.png", TestTiles.Sharp);
        await storage.UploadAsync("slide-3/x001_y000.png", TestTiles.Defocused);
        await storage.Processor.ProcessAsync("slide-3/x000_y000.png", CancellationToken.None);
        await storage.Processor.ProcessAsync("slide-3/x001_y000.png", CancellationToken.None);
        var before = (await storage.RowsAsync()).ToDictionary(r => r.BlobName, r => r.ETag);

        var sharpAgain = await storage.Processor.ProcessAsync("slide-3/x000_y000.png", CancellationToken.None);
        var blurredAgain = await storage.Processor.ProcessAsync("slide-3/x001_y000.png", CancellationToken.None);

        Assert.Equal((OutcomeKind.Duplicate, TileLocation.Tiles), (sharpAgain.Kind, sharpAgain.Location));
        Assert.Equal((OutcomeKind.Duplicate, TileLocation.Rejected), (blurredAgain.Kind, blurredAgain.Location));
        Assert.Equal(before, (await storage.RowsAsync()).ToDictionary(r => r.BlobName, r => r.ETag));
        Assert.Equal(2, ((LaplacianFocusModel)storage.Model).Calls);
    }

    [Fact]
    public async Task ProcessAsync_EightParallelDeliveries_OneConsistentRow()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var etag = await storage.UploadAsync("slide-4/x003_y001.png", TestTiles.Defocused);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => storage.Processor.ProcessAsync("slide-4/x003_y001.png", CancellationToken.None))));

        Assert.All(outcomes, o => Assert.Equal((FocusVerdict.OutOfFocus, TileLocation.Rejected), (o.Verdict, o.Location)));
        Assert.Contains(outcomes, o => o.Kind is OutcomeKind.Processed or OutcomeKind.Resumed);
        var rows = await storage.RowsAsync();
        var row = Assert.Single(rows);
        Assert.Equal(("Done", "Rejected", etag.ToString()), (row.Stage, row.Location, row.SourceETag));
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal(["slide-4/x003_y001.png"], await TestStorage.NamesAsync(storage.Rejected));
    }

    [Fact]
    public async Task ProcessAsync_CrashBetweenCopyAndDelete_RedeliveryCompletesTheMove()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var etag = await storage.UploadAsync("slide-5/x000_y000.png", TestTiles.Defocused);
        storage.Faults.AfterCopy = (_, _) => throw new SimulatedCrashException();

        await Assert.ThrowsAsync<SimulatedCrashException>(() => storage.Processor.ProcessAsync("slide-5/x000_y000.png", CancellationToken.None));
        Assert.Equal("Moving", (await storage.SingleRowAsync("slide-5/x000_y000.png")).Stage);
        Assert.Single(await TestStorage.NamesAsync(storage.Tiles));
        Assert.Single(await TestStorage.NamesAsync(storage.Rejected));

        storage.Faults.AfterCopy = null;
        var outcome = await storage.Processor.ProcessAsync("slide-5/x000_y000.png", CancellationToken.None);

        Assert.Equal((OutcomeKind.Resumed, TileLocation.Rejected), (outcome.Kind, outcome.Location));
        Assert.Empty(await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal(["slide-5/x000_y000.png"], await TestStorage.NamesAsync(storage.Rejected));
        var row = await storage.SingleRowAsync("slide-5/x000_y000.png");
        Assert.Equal(("Done", "Rejected", etag.ToString()), (row.Stage, row.Location, row.SourceETag));
        Assert.Equal(1, ((LaplacianFocusModel)storage.Model).Calls);
    }

    [Fact]
    public async Task ProcessAsync_CrashAfterDeleteBeforeDone_RedeliveryMarksTheRowDone()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync("slide-5/x001_y000.png", TestTiles.Defocused);
        storage.Faults.AfterCopy = async (name, token) =>
        {
            // The delete happens, then the process dies before the row says Done.
            await storage.Tiles.GetBlobClient(name).DeleteAsync(cancellationToken: token);
            throw new SimulatedCrashException();
        };
        await Assert.ThrowsAsync<SimulatedCrashException>(() => storage.Processor.ProcessAsync("slide-5/x001_y000.png", CancellationToken.None));
        storage.Faults.AfterCopy = null;

        var outcome = await storage.Processor.ProcessAsync("slide-5/x001_y000.png", CancellationToken.None);

        Assert.Equal((OutcomeKind.Resumed, TileLocation.Rejected), (outcome.Kind, outcome.Location));
        var row = await storage.SingleRowAsync("slide-5/x001_y000.png");
        Assert.Equal(("Done", "Rejected"), (row.Stage, row.Location));
        Assert.Equal(["slide-5/x001_y000.png"], await TestStorage.NamesAsync(storage.Rejected));
    }

    [Fact]
    public async Task ProcessAsync_ReuploadWhileMoving_NewVersionIsKeptAndScored()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        const string name = "slide-6/x000_y000.png";
        var blurredETag = await storage.UploadAsync(name, TestTiles.Defocused);
        ETag rescannedETag = default;
        storage.Faults.AfterCopy = async (_, _) =>
        {
            // The scanner re-acquires the tile between our copy and our delete.
            storage.Faults.AfterCopy = null;
            rescannedETag = await storage.UploadAsync(name, TestTiles.Sharp);
        };

        var outcome = await storage.Processor.ProcessAsync(name, CancellationToken.None);

        Assert.Equal((FocusVerdict.InFocus, TileLocation.Tiles), (outcome.Verdict, outcome.Location));
        var kept = await storage.Tiles.GetBlobClient(name).GetPropertiesAsync();
        Assert.Equal(rescannedETag, kept.Value.ETag);
        var rejected = await storage.Rejected.GetBlobClient(name).GetPropertiesAsync();
        Assert.Equal(blurredETag.ToString(), rejected.Value.Metadata[MetadataKeys.SourceETag]);
        var row = await storage.SingleRowAsync(name);
        Assert.Equal(("InFocus", "Tiles", "Done", rescannedETag.ToString()), (row.Verdict, row.Location, row.Stage, row.SourceETag));
    }

    [Fact]
    public async Task ProcessAsync_ReuploadBeforeCopy_CopyConditionFailsAndNewVersionIsScored()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        const string name = "slide-6/x002_y000.png";
        await storage.UploadAsync(name, TestTiles.Defocused);
        ETag rescannedETag = default;
        storage.Faults.BeforeMove = async (_, _) =>
        {
            storage.Faults.BeforeMove = null;
            rescannedETag = await storage.UploadAsync(name, TestTiles.Sharp);
        };

        var outcome = await storage.Processor.ProcessAsync(name, CancellationToken.None);

        Assert.Equal((FocusVerdict.InFocus, TileLocation.Tiles), (outcome.Verdict, outcome.Location));
        Assert.Empty(await TestStorage.NamesAsync(storage.Rejected));
        Assert.Equal(rescannedETag, (await storage.Tiles.GetBlobClient(name).GetPropertiesAsync()).Value.ETag);
        Assert.Equal(rescannedETag.ToString(), (await storage.SingleRowAsync(name)).SourceETag);
    }

    [Fact]
    public async Task ProcessAsync_ReuploadAfterRejection_GetsAFreshResult()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        const string name = "slide-6/x001_y000.png";
        await storage.UploadAsync(name, TestTiles.Defocused);
        await storage.Processor.ProcessAsync(name, CancellationToken.None);
        var rescannedETag = await storage.UploadAsync(name, TestTiles.Sharp);

        var outcome = await storage.Processor.ProcessAsync(name, CancellationToken.None);

        Assert.Equal((OutcomeKind.Processed, FocusVerdict.InFocus, TileLocation.Tiles), (outcome.Kind, outcome.Verdict, outcome.Location));
        var row = await storage.SingleRowAsync(name);
        Assert.Equal(("InFocus", rescannedETag.ToString()), (row.Verdict, row.SourceETag));
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Tiles));
        Assert.Equal([name], await TestStorage.NamesAsync(storage.Rejected));
    }

    [Fact]
    public async Task ProcessAsync_MissingBlob_SkippedWithoutRow()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);

        var outcome = await storage.Processor.ProcessAsync("slide-7/never-uploaded.png", CancellationToken.None);

        Assert.Equal(OutcomeKind.Skipped, outcome.Kind);
        Assert.Empty(await storage.RowsAsync());
    }

    [Fact]
    public async Task ProcessAsync_NastyBlobNames_RowKeysDecodeToTheBlobPath()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        string[] names = ["slide 8/a#b?c%d.png", "slide 8/sub/dir/ünï código_x004_y002.png", "root-level.png", "slide 8/back\\slash.png"];
        foreach (var name in names)
        {
            await storage.UploadAsync(name, TestTiles.Sharp);
        }

        foreach (var name in names)
        {
            await storage.Processor.ProcessAsync(name, CancellationToken.None);
        }

        var rows = await storage.RowsAsync();
        Assert.Equal(names.Order(StringComparer.Ordinal), rows.Select(r => r.BlobName).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(r.BlobName, r.PartitionKey == "_root" ? RowKeyCodec.Decode(r.RowKey) : RowKeyCodec.Decode(r.PartitionKey) + "/" + RowKeyCodec.Decode(r.RowKey)));
        Assert.Equal((4, 2), rows.Where(r => r.BlobName.Contains("código")).Select(r => (r.TileX, r.TileY)).Single());
        // A backslash is refused by the shared name rule: that tile is kept in quarantine with its row.
        Assert.Equal(("Failed", "Quarantine"), rows.Where(r => r.BlobName.Contains('\\')).Select(r => (r.Verdict, r.Location)).Single());
    }

    [Fact]
    public async Task ProcessAsync_BlobPathLongerThanATableKeyHolds_OneRowWithTheFullName()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        string name = $"slide-long/{new string('d', 300)}/{new string('é', 300)}_x001_y001.png";
        await storage.UploadAsync(name, TestTiles.Defocused);

        var first = await storage.Processor.ProcessAsync(name, CancellationToken.None);
        var second = await storage.Processor.ProcessAsync(name, CancellationToken.None);

        Assert.Equal((OutcomeKind.Processed, OutcomeKind.Duplicate), (first.Kind, second.Kind));
        var row = await storage.SingleRowAsync(name);
        Assert.True(row.RowKey.Length <= TileKeyResolver.MaxKeyLength);
        Assert.Equal(("Rejected", 1, 1), (row.Location, row.TileX, row.TileY));
    }

    [Fact]
    public async Task ProcessBatchAsync_OverThePixelBudget_TheRestWaitForTheNextPassWithTheSameOutcomes()
    {
        // A budget below one tile, one download at a time: each tile is a pass of its own (its own model call).
        await using var storage = await TestStorage.CreateAsync(azurite, settings: new Dictionary<string, string?>
        {
            ["Scoring:MaxBatchSize"] = "64",
            ["Processing:MaxBatchPixels"] = "1",
            ["Processing:DownloadParallelism"] = "1",
        });
        var tiles = new Dictionary<string, byte[]>
        {
            ["slide-8/x000_y000.png"] = TestTiles.Sharp,
            ["slide-8/x001_y000.png"] = TestTiles.SecondSharp,
            ["slide-8/x000_y001.png"] = TestTiles.Defocused,
        };
        foreach (var (name, content) in tiles)
        {
            await storage.UploadAsync(name, content);
        }

        var outcomes = await storage.Processor.ProcessBatchAsync([.. tiles.Keys], CancellationToken.None);

        Assert.Equal(3, ((LaplacianFocusModel)storage.Model).Calls);
        Assert.Equal([FocusVerdict.InFocus, FocusVerdict.InFocus, FocusVerdict.OutOfFocus], outcomes.Select(o => o.Verdict));
        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.Processed, o.Kind));
        Assert.Equal(3, (await storage.RowsAsync()).Count(r => r.Stage == "Done"));
        Assert.Equal(["slide-8/x000_y001.png"], await TestStorage.NamesAsync(storage.Rejected));
    }

    [Fact]
    public async Task ProcessBatchAsync_MixedTiles_OneModelCallAndAnOutcomePerBlob()
    {
        // The GPU worker's batch size (its appsettings); the CPU default of 1 would give one call per patch.
        await using var storage = await TestStorage.CreateAsync(azurite, settings: new Dictionary<string, string?> { ["Scoring:MaxBatchSize"] = "64" });
        var tiles = new Dictionary<string, byte[]>
        {
            ["slide-9/x000_y000.png"] = TestTiles.Sharp,
            ["slide-9/x001_y000.png"] = TestTiles.SecondSharp,
            ["slide-9/x000_y001.png"] = TestTiles.Defocused,
            ["slide-9/x001_y001.png"] = TestTiles.Background,
            ["slide-9/x002_y001.png"] = TestTiles.Text,
        };
        foreach (var (name, content) in tiles)
        {
            await storage.UploadAsync(name, content);
        }

        var outcomes = await storage.Processor.ProcessBatchAsync([.. tiles.Keys, "slide-9/missing.png"], CancellationToken.None);

        Assert.Equal(1, ((LaplacianFocusModel)storage.Model).Calls);
        Assert.Equal(
            [FocusVerdict.InFocus, FocusVerdict.InFocus, FocusVerdict.OutOfFocus, FocusVerdict.NoTissue, FocusVerdict.Failed, null],
            outcomes.Select(o => o.Verdict));
        Assert.Equal(OutcomeKind.Skipped, outcomes[^1].Kind);
        Assert.Equal(5, (await storage.RowsAsync()).Count(r => r.Stage == "Done"));
        Assert.Equal(["slide-9/x000_y001.png"], await TestStorage.NamesAsync(storage.Rejected));
        Assert.Equal(["slide-9/x002_y001.png"], await TestStorage.NamesAsync(storage.Quarantine));

        var again = await storage.Processor.ProcessBatchAsync([.. tiles.Keys], CancellationToken.None);

        Assert.All(again, o => Assert.Equal(OutcomeKind.Duplicate, o.Kind));
        Assert.Equal(1, ((LaplacianFocusModel)storage.Model).Calls);
    }
}
