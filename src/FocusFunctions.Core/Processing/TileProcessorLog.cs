using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>The processor's log messages, structured, in one place.</summary>
internal static partial class TileProcessorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Scored {BlobName}: {Verdict}, defocus {DefocusMicrons} µm, in {DurationMs} ms")]
    public static partial void Scored(ILogger logger, string blobName, FocusVerdict verdict, double? defocusMicrons, long durationMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {BlobName} to {Location}")]
    public static partial void Moved(ILogger logger, string blobName, TileLocation location);

    [LoggerMessage(Level = LogLevel.Information, Message = "{BlobName} was replaced by a newer upload while being processed; the newer version is kept and scored")]
    public static partial void KeptNewerUpload(ILogger logger, string blobName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{BlobName} was not moved to {Location} and stays in tiles: {Reason}")]
    public static partial void NotMoved(ILogger logger, string blobName, TileLocation location, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{BlobName} was deleted from the tiles container before it could be moved")]
    public static partial void Vanished(ILogger logger, string blobName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{BlobName} is not processed: {Reason}")]
    public static partial void RefusedName(ILogger logger, string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{BlobName} changed under a concurrent writer; re-reading its state (round {Round})")]
    public static partial void StateChanged(ILogger logger, string blobName, int round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient storage failure on {BlobName} (attempt {Attempt}); retrying in {DelayMs} ms: {Reason}")]
    public static partial void TransientFailure(ILogger logger, string blobName, int attempt, long delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{BlobName} left the batch path and is processed on its own: {Reason}")]
    public static partial void BatchFallback(ILogger logger, string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring {BlobName} failed; it gets a Failed row and goes to quarantine")]
    public static partial void ScoringFailed(ILogger logger, string blobName, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing {BlobName} failed; it stays pending for the next run")]
    public static partial void TileFailed(ILogger logger, string blobName, Exception exception);
}
