using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

public sealed partial class TileProcessor
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Scored {BlobName}: {Verdict}, defocus {DefocusMicrons} µm, in {DurationMs} ms")]
    private static partial void LogScored(ILogger logger, string blobName, FocusVerdict verdict, double? defocusMicrons, long durationMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {BlobName} to {Location}")]
    private static partial void LogMoved(ILogger logger, string blobName, TileLocation location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{BlobName} is not a usable image and goes to quarantine: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{BlobName} was replaced by a newer upload while being processed; the newer version is kept and scored")]
    private static partial void LogKeptNewerUpload(ILogger logger, string blobName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{BlobName} was deleted from the tiles container before it could be moved")]
    private static partial void LogVanished(ILogger logger, string blobName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{BlobName} changed under a concurrent writer; re-reading its state (round {Round})")]
    private static partial void LogStateChanged(ILogger logger, string blobName, int round);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient storage failure on {BlobName} (attempt {Attempt}); retrying in {DelayMs} ms: {Reason}")]
    private static partial void LogTransientFailure(ILogger logger, string blobName, int attempt, long delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{BlobName} left the batch path and is processed on its own: {Reason}")]
    private static partial void LogBatchFallback(ILogger logger, string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing {BlobName} failed; it stays pending for the next run")]
    private static partial void LogTileFailed(ILogger logger, string blobName, Exception exception);
}
