using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Processing;

/// <summary>What became of a move.</summary>
public enum MoveResult
{
    /// <summary>The scored version is in its destination (now, or by an earlier delivery) and gone from tiles.</summary>
    Moved,

    /// <summary>A newer upload replaced the scored version: it is not ours to move.</summary>
    SourceChanged,

    /// <summary>The tile was deleted from the tiles container before it could be copied.</summary>
    SourceVanished,
}

/// <summary>
/// Moves a scored tile from the tiles container to rejected or quarantine: a server-side copy of exactly the scored
/// version (with the verdict as metadata), then a delete of the source only if it is still that version. Every step
/// is safe to repeat, so a delivery that finds a move cut short simply runs it again.
/// </summary>
public sealed class TileMover
{
    /// <summary>Azure's synchronous Copy Blob From URL takes sources up to 256 MiB; larger ones are copied asynchronously.</summary>
    public const long SyncCopyLimitBytes = 256L * 1024 * 1024;

    private readonly BlobContainerClient _tiles;
    private readonly BlobContainerClient _rejected;
    private readonly BlobContainerClient _quarantine;
    private readonly CopySourceAuthorization _copyAuthorization;
    private readonly long _syncCopyLimitBytes;

    public TileMover(BlobServiceClient blobs, CopySourceAuthorization copyAuthorization, StorageOptions storage)
        : this(blobs, copyAuthorization, storage, SyncCopyLimitBytes)
    {
    }

    /// <param name="syncCopyLimitBytes">Sources up to this size are copied synchronously (the service's limit unless given).</param>
    public TileMover(BlobServiceClient blobs, CopySourceAuthorization copyAuthorization, StorageOptions storage, long syncCopyLimitBytes)
    {
        _tiles = blobs.GetBlobContainerClient(storage.TilesContainer);
        _rejected = blobs.GetBlobContainerClient(storage.RejectedContainer);
        _quarantine = blobs.GetBlobContainerClient(storage.QuarantineContainer);
        _copyAuthorization = copyAuthorization;
        _syncCopyLimitBytes = syncCopyLimitBytes;
    }

    private enum CopyResult
    {
        Copied,
        SourceChanged,
        SourceGone,
    }

    /// <summary>Moves the version <paramref name="row"/> describes to the row's location.</summary>
    public async Task<MoveResult> MoveAsync(FocusResultEntity row, CancellationToken cancellationToken)
    {
        var scoredETag = new ETag(row.SourceETag);
        var source = _tiles.GetBlobClient(row.BlobName);
        var target = ContainerFor(row.LocationValue).GetBlobClient(row.BlobName);
        switch (await CopyAsync(source, target, row, scoredETag, cancellationToken).ConfigureAwait(false))
        {
            case CopyResult.SourceChanged:
                return MoveResult.SourceChanged;
            case CopyResult.SourceGone:
                // Gone from tiles: either an earlier delivery copied and deleted it, or someone else deleted it.
                return await HoldsCopyOfAsync(target, scoredETag, cancellationToken).ConfigureAwait(false) ? MoveResult.Moved : MoveResult.SourceVanished;
            default:
                return await DeleteIfUnchangedAsync(source, scoredETag, cancellationToken).ConfigureAwait(false) ? MoveResult.Moved : MoveResult.SourceChanged;
        }
    }

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

                if (properties.ContentLength <= _syncCopyLimitBytes)
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
