using System.Text.Json;
using Azure.Data.Tables;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Tests.Processing;

[Collection(AzuriteCollection.Name)]
public sealed class FocusResultEntityTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset ScoredAt = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    // The columns rows of a model without a scale have always had; the *Value ones come from the entity's computed getters.
    private static readonly string[] StoredColumns =
    [
        "BlobName", "DefocusMicrons", "DurationMs", "Error", "GridColumns", "GridRows", "Height", "Location", "LocationValue",
        "MicronsPerPixel", "ModelName", "ModelVersion", "OutOfFocusFraction", "PartitionKey", "PatchCount", "PatchDefocus",
        "PatchSize", "RowKey", "ScoredAtUtc", "SourceETag", "Stage", "StageValue", "ThresholdMicrons", "TileX", "TileY",
        "Timestamp", "TissueFraction", "Verdict", "VerdictValue", "Width", "WorstPatchMicrons",
    ];

    private static FocusResultEntity Row()
    {
        var score = new TileScore
        {
            Verdict = FocusVerdict.OutOfFocus, DefocusMicrons = 3.25, WorstPatchMicrons = 4.5, OutOfFocusFraction = 0.5, TissueFraction = 0.75,
            PatchCount = 2, Width = 640, Height = 320, MicronsPerPixel = 0.5, ThresholdMicrons = 2, ModelName = "m", ModelVersion = "v1",
            Grid = new PatchGrid(3, 1, 320, [new PatchScore(0, 0, 0.9, 3.254), new PatchScore(1, 0, 0.1, null), new PatchScore(2, 0, 0.8, 2.5)]),
        };
        return ResultRows.Create("slide/x001_y002.png", new TileKey("slide", "x001_y002.png", "slide", 1, 2), "\"etag\"", score,
            TileStage.Done, TileLocation.Rejected, ScoredAt, 42);
    }

    [Fact]
    public async Task Upsert_ScoredRow_StoresExactlyTheColumnsRowsAlwaysHad()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.EnsureCreatedAsync();
        var row = Row();
        row.Error = "a null column is left out, so this one carries a value";
        await storage.Results.UpsertEntityAsync(row, TableUpdateMode.Replace);

        var stored = (await storage.Results.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey)).Value;

        Assert.Equal(StoredColumns, stored.Keys.Where(k => !k.Contains("odata.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal(("Done", "Rejected", "OutOfFocus"), (stored["StageValue"], stored["LocationValue"], stored["VerdictValue"]));
        Assert.Equal("3.25,,2.5", stored.GetString("PatchDefocus"));
        var read = (await storage.Results.GetEntityAsync<FocusResultEntity>(row.PartitionKey, row.RowKey)).Value;
        Assert.Equal((42L, ScoredAt, 1, 2, 320), (read.DurationMs, read.ScoredAtUtc, read.TileX, read.TileY, read.PatchSize));
        Assert.Equal([3.25, null, 2.5], read.PatchDefocusMicrons);
    }

    [Fact]
    public void Json_ScoredRow_TheApiShapeWithoutTableMembersAndWithParsedPatches()
    {
        string json = JsonSerializer.Serialize(Row(), JsonSerializerOptions.Web);

        // The whole object is compared, so order and every name and value count (' stands for ").
        string expected = string.Concat(
            "{'blobName':'slide/x001_y002.png','verdict':'OutOfFocus','verdictReason':null,'stage':'Done','location':'Rejected',",
            "'defocusMicrons':3.25,'defocusLowMicrons':null,'defocusHighMicrons':null,'worstPatchMicrons':4.5,'outOfFocusFraction':0.5,'tissueFraction':0.75,'patchCount':2,",
            "'width':640,'height':320,'micronsPerPixel':0.5,'thresholdMicrons':2,'modelName':'m','modelVersion':'v1','error':null,",
            "'scoredAtUtc':'2026-11-26T12:00:00+00:00','durationMs':42,'tileX':1,'tileY':2,'gridColumns':3,'gridRows':1,",
            "'patchDefocus':[3.25,null,2.5]}").Replace('\'', '"');
        Assert.Equal(expected, json);
    }

    [Fact]
    public async Task Upsert_IndeterminateRowOfAScaleModel_StoresTheIntervalTheReasonAndThePatchJudgements()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.EnsureCreatedAsync();
        var score = new TileScore
        {
            Verdict = FocusVerdict.Indeterminate, DefocusMicrons = 9.5, DefocusLowMicrons = 0.12345, DefocusHighMicrons = 20.4, WorstPatchMicrons = 10,
            VerdictReason = "0 of 2 tissue patches could be judged", TissueFraction = 1, PatchCount = 2, ThresholdMicrons = 2,
            Grid = new PatchGrid(3, 1, 320, [new PatchScore(0, 0, 0.9, 9, 0, 20), new PatchScore(1, 0, 0.1, null), new PatchScore(2, 0, 0.8, 0.5, 0.2, 0.8)]),
        };
        var row = ResultRows.Create("slide/x001_y002.png", new TileKey("slide", "x001_y002.png", "slide", 1, 2), "\"etag\"", score,
            TileStage.Done, ResultRows.DestinationFor(score.Verdict), ScoredAt, 42);
        await storage.Results.UpsertEntityAsync(row, TableUpdateMode.Replace);

        var stored = (await storage.Results.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey)).Value;

        Assert.Equal(("Indeterminate", "Tiles"), (stored.GetString("Verdict"), stored.GetString("Location")));
        Assert.Equal((0.123, 20.4), (stored.GetDouble("DefocusLowMicrons"), stored.GetDouble("DefocusHighMicrons")));
        Assert.Equal("0 of 2 tissue patches could be judged", stored.GetString("VerdictReason"));
        Assert.Equal("U.I", stored.GetString("PatchJudgements"));
        var json = JsonSerializer.SerializeToElement((await storage.Results.GetEntityAsync<FocusResultEntity>(row.PartitionKey, row.RowKey)).Value,
            JsonSerializerOptions.Web);
        Assert.Equal(ResultJsonShape.PropertyNames, ResultJsonShape.NamesOf(json));
        Assert.Equal(20.4, json.GetProperty("defocusHighMicrons").GetDouble());
    }
}
