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

    /// <summary>The tile cannot be moved (leased, archived, or its copy never confirmed): it stays in tiles, alone.</summary>
    NotMoved,
}

/// <summary>A move's result and, when the tile was not moved, why.</summary>
public sealed record MoveReport(MoveResult Result, string? Reason = null);

/// <summary>
/// Moves a scored tile from the tiles container to rejected or quarantine: a server-side copy of exactly the scored
/// version (with the verdict as metadata), checked against the source (<see cref="CopyCheck"/>), then a delete of the
/// source only if it is still that version. Every step is safe to repeat, so a delivery that finds a move cut short
/// simply runs it again. A tile that cannot be moved (leased, archived, a copy that keeps failing) is left in tiles
/// and nowhere else, with the reason, rather than retried without end.
/// </summary>
public sealed class TileMover
{
    /// <summary>Azure's synchronous Copy Blob From URL takes sources up to 256 MiB; larger ones are copied asynchronously.</summary>
    public const long SyncCopyLimitBytes = 256L * 1024 * 1024;

    /// <summary>Copies tried per move before a copy that never matches its source leaves the tile where it is.</summary>
    public const int MaxCopyAttempts = 3;

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
        NotCopied,
    }

    /// <summary>Moves the version <paramref name="row"/> describes to the row's location.</summary>
    public async Task<MoveReport> MoveAsync(FocusResultEntity row, CancellationToken cancellationToken)
    {
        var scoredETag = new ETag(row.SourceETag);
        var source = _tiles.GetBlobClient(row.BlobName);
        var target = ContainerFor(row.LocationValue).GetBlobClient(row.BlobName);
        var (copy, copyETag, reason) = await CopyAsync(source, target, row, scoredETag, cancellationToken).ConfigureAwait(false);
        switch (copy)
        {
            case CopyResult.SourceChanged:
                return new(MoveResult.SourceChanged);
            case CopyResult.SourceGone:
                // Gone from tiles: either an earlier delivery copied and deleted it, or someone else deleted it.
                return new(await HoldsCopyOfAsync(target, scoredETag, cancellationToken).ConfigureAwait(false) ? MoveResult.Moved : MoveResult.SourceVanished);
            case CopyResult.NotCopied:
                return new(MoveResult.NotMoved, reason);
        }

        try
        {
            await source.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = scoredETag }, cancellationToken)
                .ConfigureAwait(false);
            return new(MoveResult.Moved);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // A parallel delivery deleted it.
            return new(MoveResult.Moved);
        }
        catch (RequestFailedException ex) when (CopyCheck.IsLeaseConflict(ex))
        {
            // Leased after the check: the source stays, so the copy goes, and the tile is in one place only.
            await DeleteCopyAsync(target, copyETag, cancellationToken).ConfigureAwait(false);
            return new(MoveResult.NotMoved, CopyCheck.LeasedReason);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return new(MoveResult.SourceChanged);
        }
    }

    private async Task<(CopyResult Result, ETag CopyETag, string? Reason)> CopyAsync(BlobClient source, BlobClient target, FocusResultEntity row,
        ETag scoredETag, CancellationToken cancellationToken)
    {
        var (sourceUri, options) = await _copyAuthorization.PrepareAsync(source, scoredETag, MoveMetadata.For(row), cancellationToken).ConfigureAwait(false);
        bool containerCreated = false;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                // Unconditional read: a conditional HEAD on a deleted blob may answer 412 instead of 404.
                var properties = (await source.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                if (properties.ETag != scoredETag)
                {
                    return (CopyResult.SourceChanged, default, null);
                }

                if (CopyCheck.Immovable(properties) is { } immovable)
                {
                    return (CopyResult.NotCopied, default, immovable);
                }

                if (properties.ContentLength <= _syncCopyLimitBytes)
                {
                    // Synchronous copy: done when the call returns, so the delete that follows never races a pending copy.
                    await target.SyncCopyFromUriAsync(sourceUri, options, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The destination request's own authorisation covers a same-account source (no source header). The
                    // wait ends whatever the final status; CopyCheck reads it.
                    var asyncOptions = new BlobCopyFromUriOptions { Metadata = options.Metadata, SourceConditions = options.SourceConditions };
                    var operation = await target.StartCopyFromUriAsync(sourceUri, asyncOptions, cancellationToken).ConfigureAwait(false);
                    await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
                }

                var copied = (await target.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                if (CopyCheck.Mismatch(properties, copied, row.SourceETag) is not { } mismatch)
                {
                    return (CopyResult.Copied, copied.ETag, null);
                }

                if (attempt >= MaxCopyAttempts)
                {
                    await DeleteCopyAsync(target, copied.ETag, cancellationToken).ConfigureAwait(false);
                    return (CopyResult.NotCopied, default,
                        $"The copy to {target.BlobContainerName} could not be confirmed in {MaxCopyAttempts} attempts ({mismatch}): the tile stays in tiles.");
                }
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == "ContainerNotFound" && !containerCreated)
            {
                containerCreated = true;
                await target.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (CopyCheck.IsLeaseConflict(ex))
            {
                // The destination name is leased: the copy cannot land, and the source must not go.
                return (CopyResult.NotCopied, default,
                    $"A blob of the same name in {target.BlobContainerName} is leased by another client, so the tile cannot be moved there: it stays in tiles.");
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                return (CopyResult.SourceChanged, default, null);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return (CopyResult.SourceGone, default, null);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == "BlobArchived")
            {
                return (CopyResult.NotCopied, default, CopyCheck.ArchivedReason);
            }
        }
    }

    /// <summary>Removes a copy that must not stand (only that version: a newer blob of the same name is left alone).</summary>
    private static async Task DeleteCopyAsync(BlobClient copy, ETag copyETag, CancellationToken cancellationToken)
    {
        try
        {
            await copy.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = copyETag }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
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
}
