using Azure.Storage.Blobs;

namespace FocusFunctions.App.Functions;

/// <summary>
/// Runs for each tile uploaded to the tiles container (Event Grid blob trigger). Event Grid delivers at least once
/// and without blob receipts, so repeats and races are expected: <see cref="TileProcessor"/> makes them harmless.
/// </summary>
public sealed partial class ProcessTileFunction(TileProcessor processor, ILogger<ProcessTileFunction> logger)
{
    [Function("ProcessTile")]
    public async Task Run(
        [BlobTrigger("%TILES_CONTAINER%/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        string name,
        CancellationToken cancellationToken)
    {
        // Only the name is used: the processor reads the blob itself, with its own clients and ETag conditions.
        var outcome = await processor.ProcessAsync(blob.Name, cancellationToken);
        LogOutcome(logger, name, outcome.Kind, outcome.Verdict, outcome.Location, outcome.Reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tile {BlobName}: {Outcome}, {Verdict}, in {Location}. {Reason}")]
    private static partial void LogOutcome(ILogger logger, string blobName, OutcomeKind outcome, FocusFunctions.Core.Scoring.FocusVerdict? verdict, TileLocation? location, string? reason);
}
