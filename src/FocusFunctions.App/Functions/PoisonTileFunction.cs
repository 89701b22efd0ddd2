using System.Text.Json;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Options;

namespace FocusFunctions.App.Functions;

/// <summary>
/// The last line of defence behind <see cref="ProcessTileFunction"/>: after poisonBlobThreshold failed runs the blob
/// trigger writes the blob's name and ETag to the webjobs-blobtrigger-poison queue, and this function quarantines
/// exactly that version with a Failed row saying why. A newer upload of the same name is left to its own event.
/// </summary>
public sealed partial class PoisonTileFunction(TileProcessor processor, IOptions<StorageOptions> storage, ILogger<PoisonTileFunction> logger)
{
    /// <summary>Where the Functions host puts blob-trigger messages that failed poisonBlobThreshold times.</summary>
    public const string PoisonQueue = "webjobs-blobtrigger-poison";

    [Function("QuarantinePoisonedTile")]
    public async Task Run([QueueTrigger(PoisonQueue, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken)
    {
        if (Read(message) is not var (container, blobName, etag) || container != storage.Value.TilesContainer)
        {
            LogIgnored(logger, message.Length > 200 ? message[..200] : message);
            return;
        }

        var outcome = await processor.QuarantineAsync(blobName, etag,
            "Processing failed on every retry of the Function (a crash, a timeout or a persistent storage error); moved aside for inspection.",
            cancellationToken);
        LogQuarantined(logger, blobName, etag, outcome.Kind, outcome.Location);
    }

    /// <summary>The host's poison message: {"Type":"BlobTrigger","FunctionId":…,"ContainerName":…,"BlobName":…,"ETag":…}.</summary>
    public static (string Container, string BlobName, string? ETag)? Read(string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && Text(root, "ContainerName") is { } container && Text(root, "BlobName") is { Length: > 0 } name
                ? (container, name, Text(root, "ETag"))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring a poison message that is not about the tiles container: {Message}")]
    private static partial void LogIgnored(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poisoned tile {BlobName} (version {ETag}): {Outcome}, in {Location}")]
    private static partial void LogQuarantined(ILogger logger, string blobName, string? etag, OutcomeKind outcome, TileLocation? location);
}
