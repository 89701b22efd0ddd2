using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>Reads a tile's state (its blob and its result row) and downloads and prepares exactly the version observed.</summary>
public sealed partial class TileReader(BlobContainerClient tiles, ResultTable results, TileScorer scorer, TileKeyResolver keys, ILogger<TileReader> logger)
{
    internal async Task<TileState> ObserveAsync(string blobName, CancellationToken cancellationToken)
    {
        var key = keys.Resolve(blobName);
        var row = await results.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        BlobProperties? blob = null;
        try
        {
            blob = (await tiles.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }

        return new TileState(blobName, key, blob, row);
    }

    /// <summary>Downloads exactly the version observed; null when the blob changed or vanished since.</summary>
    internal async Task<PendingTile?> DownloadAndPrepareAsync(TileState state, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var blob = state.Blob!;
        long limit = scorer.Decoding.MaxInputBytes;
        // Refused without downloading: a name the shared rule refuses (a backslash), or an archived blob, which cannot
        // be read until it is rehydrated (hours). Either way a Failed row that says why.
        if ((Storage.BlobNames.Refusal(state.BlobName) ?? (blob.AccessTier == AccessTier.Archive ? CopyCheck.ArchivedReason : null)) is { } refused)
        {
            return new PendingTile(state, blob.ETag, null, scorer.Failed(refused), 0);
        }

        if (blob.ContentLength > limit)
        {
            // Refused without downloading it.
            var tooBig = scorer.Failed($"The file is {blob.ContentLength:N0} bytes; the limit is {limit:N0} bytes.");
            return new PendingTile(state, blob.ETag, null, tooBig, 0);
        }

        BinaryData content;
        try
        {
            var download = await tiles.GetBlobClient(state.BlobName).DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = blob.ETag } }, cancellationToken).ConfigureAwait(false);
            content = download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }

        try
        {
            using var stream = content.ToStream();
            var prepared = scorer.Prepare(stream);
            return new PendingTile(state, blob.ETag, prepared, null, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (TileDecodeException ex)
        {
            LogUnreadable(logger, state.BlobName, ex.Message);
            return new PendingTile(state, blob.ETag, null, scorer.Failed(ex.Message), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{BlobName} is not a usable image and goes to quarantine: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string blobName, string reason);
}
