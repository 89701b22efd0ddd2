using Azure.Storage.Blobs.Models;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// Decides whether a copy may stand in for its source, so that the source is deleted only then: the copy finished
/// with status Success (an asynchronous copy can end Failed or Aborted), is of the scored version, has the source's
/// length and, where the service gives both, its MD5. Also says when a source cannot be moved at all.
/// </summary>
internal static class CopyCheck
{
    /// <summary>Why the copy does not match <paramref name="source"/>, or null when it does.</summary>
    public static string? Mismatch(BlobProperties source, BlobProperties copy, string scoredETag)
    {
        if (copy.CopyStatus is { } status && status != CopyStatus.Success)
        {
            return $"the copy ended {status}{(string.IsNullOrEmpty(copy.CopyStatusDescription) ? "" : $" ({copy.CopyStatusDescription})")}";
        }

        if (!copy.Metadata.TryGetValue(MetadataKeys.SourceETag, out var etag) || etag != scoredETag)
        {
            return "the copy is not of the scored version";
        }

        if (copy.ContentLength != source.ContentLength)
        {
            return $"the copy holds {copy.ContentLength:N0} bytes, the source {source.ContentLength:N0}";
        }

        if (source.ContentHash is { Length: > 0 } sourceMd5 && copy.ContentHash is { Length: > 0 } copyMd5 && !sourceMd5.AsSpan().SequenceEqual(copyMd5))
        {
            return "the copy's MD5 differs from the source's";
        }

        return null;
    }

    /// <summary>Why the source cannot be moved whatever is retried (an operator must act first), or null.</summary>
    public static string? Immovable(BlobProperties source)
    {
        if (source.AccessTier == AccessTier.Archive)
        {
            return ArchivedReason;
        }

        if (source.LeaseState == LeaseState.Leased)
        {
            return LeasedReason;
        }

        return null;
    }

    public const string ArchivedReason =
        "The tile is in the Archive access tier, which cannot be read or copied: it stays in tiles. Rehydrate it and process it again.";

    public const string LeasedReason =
        "The tile is leased by another client, so it cannot be deleted: it stays in tiles. Break or release the lease and process it again.";

    /// <summary>The service's answer to a delete without the lease id of a leased blob.</summary>
    public static bool IsLeaseConflict(Azure.RequestFailedException ex) =>
        ex.Status == 412 && ex.ErrorCode is "LeaseIdMissing" or "LeaseIdMismatchWithBlobOperation" or "LeaseLost";
}
