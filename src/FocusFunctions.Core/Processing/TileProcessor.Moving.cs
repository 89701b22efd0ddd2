using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace FocusFunctions.Core.Processing;

public sealed partial class TileProcessor
{
    private enum CopyResult
    {
        Copied,
        SourceChanged,
        SourceGone,
    }

    /// <summary>
    /// Scored → Moving → copy → delete the source if still the scored version → Done. Every step is safe to repeat, so a
    /// delivery that finds a row in Scored or Moving simply runs this again.
    /// </summary>
    private async Task<TileOutcome?> MoveAsync(FocusResultEntity row, bool resumed, CancellationToken cancellationToken)
    {
        var scoredETag = new ETag(row.SourceETag);
        if (row.StageValue == TileStage.Scored)
        {
            row.Stage = nameof(TileStage.Moving);
            if (!await WriteRowAsync(row, row.ETag, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        var destination = row.LocationValue;
        var source = _tiles.GetBlobClient(row.BlobName);
        var target = ContainerFor(destination).GetBlobClient(row.BlobName);
        switch (await CopyAsync(source, target, row, scoredETag, cancellationToken).ConfigureAwait(false))
        {
            case CopyResult.SourceChanged:
                // A newer upload replaced the scored version: it is not ours to move; re-read, and score it.
                LogKeptNewerUpload(_logger, row.BlobName);
                return null;
            case CopyResult.SourceGone when !await HoldsCopyOfAsync(target, scoredETag, cancellationToken).ConfigureAwait(false):
                LogVanished(_logger, row.BlobName);
                destination = TileLocation.Deleted;
                row.Error ??= "The tile was deleted from the tiles container before it could be moved.";
                break;
            case CopyResult.SourceGone:
                // An earlier delivery copied and deleted it but stopped before marking the row Done.
                break;
            default:
                await _faults.AfterCopyAsync(row.BlobName, cancellationToken).ConfigureAwait(false);
                if (!await DeleteIfUnchangedAsync(source, scoredETag, cancellationToken).ConfigureAwait(false))
                {
                    LogKeptNewerUpload(_logger, row.BlobName);
                    return null;
                }

                break;
        }

        row.Stage = nameof(TileStage.Done);
        row.Location = destination.ToString();
        if (!await WriteRowAsync(row, row.ETag, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        LogMoved(_logger, row.BlobName, destination);
        return Final(row, resumed ? OutcomeKind.Resumed : OutcomeKind.Processed);
    }

    /// <summary>Azure's synchronous Copy Blob From URL takes sources up to 256 MiB; larger ones are copied asynchronously.</summary>
    internal static long SyncCopyLimitBytes { get; set; } = 256L * 1024 * 1024;

    private async Task<CopyResult> CopyAsync(BlobClient source, BlobClient target, FocusResultEntity row, ETag scoredETag, CancellationToken cancellationToken)
    {
        var (sourceUri, options) = await _copyAuthorization.PrepareAsync(source, scoredETag, MetadataFor(row), cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                // Unconditional read: a conditional HEAD on a deleted blob may answer 412 instead of 404.
                var properties = (await source.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                if (properties.ETag != scoredETag)
                {
                    return CopyResult.SourceChanged;
                }

                if (properties.ContentLength <= SyncCopyLimitBytes)
                {
                    // Synchronous copy: done when the call returns, so the delete that follows never races a pending copy.
                    await target.SyncCopyFromUriAsync(sourceUri, options, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Within one account the service copies a large blob quickly; wait for it before the delete. The
                    // destination request's own authorisation covers a same-account source (no source header).
                    var asyncOptions = new BlobCopyFromUriOptions { Metadata = options.Metadata, SourceConditions = options.SourceConditions };
                    var copy = await target.StartCopyFromUriAsync(sourceUri, asyncOptions, cancellationToken).ConfigureAwait(false);
                    await copy.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
                }

                return CopyResult.Copied;
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == "ContainerNotFound" && attempt == 1)
            {
                await target.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                return CopyResult.SourceChanged;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return CopyResult.SourceGone;
            }
        }
    }

    /// <summary>Deletes the source only if it is still the scored version; true when it is gone (by us or by a parallel delivery).</summary>
    private static async Task<bool> DeleteIfUnchangedAsync(BlobClient source, ETag scoredETag, CancellationToken cancellationToken)
    {
        try
        {
            await source.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = scoredETag }, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    private static async Task<bool> HoldsCopyOfAsync(BlobClient target, ETag scoredETag, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await target.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return properties.Value.Metadata.TryGetValue(MetadataKeys.SourceETag, out var etag) && etag == scoredETag.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private BlobContainerClient ContainerFor(TileLocation location) => location switch
    {
        TileLocation.Rejected => _rejected,
        TileLocation.Quarantine => _quarantine,
        _ => throw new InvalidOperationException($"Tiles are never moved to {location}."),
    };

    private static Dictionary<string, string> MetadataFor(FocusResultEntity row)
    {
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Verdict] = row.Verdict,
            [MetadataKeys.SourceETag] = row.SourceETag,
            [MetadataKeys.ScoredAt] = row.ScoredAtUtc.ToString("O", CultureInfo.InvariantCulture),
        };
        if (row.DefocusMicrons is { } defocus)
        {
            metadata[MetadataKeys.DefocusMicrons] = defocus.ToString("0.###", CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrEmpty(row.ModelVersion))
        {
            metadata[MetadataKeys.ModelVersion] = Ascii(row.ModelVersion);
        }

        if (!string.IsNullOrEmpty(row.ModelName))
        {
            metadata[MetadataKeys.ModelName] = Ascii(row.ModelName);
        }

        return metadata;
    }

    // Metadata travels as HTTP headers: printable ASCII only.
    private static string Ascii(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }
}
