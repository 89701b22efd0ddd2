using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace FocusFunctions.TestSupport;

/// <summary>
/// Real Azure SDK clients (on a connection string) that run a <see cref="TestFaults"/> hook before the one call a fault
/// point stands for: the row write that starts a move, and the delete of a copied source.
/// </summary>
public static class FaultingStorageClients
{
    public sealed class Table(string connectionString, string tableName, TableClientOptions options, TestFaults faults)
        : TableClient(connectionString, tableName, options)
    {
        public override async Task<Response> UpdateEntityAsync<T>(T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge,
            CancellationToken cancellationToken = default)
        {
            if (entity is FocusResultEntity { Stage: nameof(TileStage.Moving) } row && faults.BeforeMove is { } hook)
            {
                await hook(row.BlobName, cancellationToken);
            }

            return await base.UpdateEntityAsync(entity, ifMatch, mode, cancellationToken);
        }
    }

    public sealed class Blobs : BlobServiceClient
    {
        private readonly (string ConnectionString, BlobClientOptions Options, TestFaults Faults) _setup;

        public Blobs(string connectionString, BlobClientOptions options, TestFaults faults)
            : base(connectionString, options) => _setup = (connectionString, options, faults);

        public override BlobContainerClient GetBlobContainerClient(string blobContainerName) =>
            new Container(_setup.ConnectionString, blobContainerName, _setup.Options, _setup.Faults);
    }

    private sealed class Container : BlobContainerClient
    {
        private readonly (string ConnectionString, BlobClientOptions Options, TestFaults Faults) _setup;

        public Container(string connectionString, string containerName, BlobClientOptions options, TestFaults faults)
            : base(connectionString, containerName, options) => _setup = (connectionString, options, faults);

        public override BlobClient GetBlobClient(string blobName) => new Blob(_setup.ConnectionString, Name, blobName, _setup.Options, _setup.Faults);
    }

    private sealed class Blob(string connectionString, string containerName, string blobName, BlobClientOptions options, TestFaults faults)
        : BlobClient(connectionString, containerName, blobName, options)
    {
        public override async Task<Response> DeleteAsync(DeleteSnapshotsOption snapshotsOption = DeleteSnapshotsOption.None,
            BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
        {
            if (faults.AfterCopy is { } hook)
            {
                await hook(Name, cancellationToken);
            }

            return await base.DeleteAsync(snapshotsOption, conditions, cancellationToken);
        }

        public override async Task<Response<BlobProperties>> GetPropertiesAsync(BlobRequestConditions? conditions = null,
            CancellationToken cancellationToken = default)
        {
            var response = await base.GetPropertiesAsync(conditions, cancellationToken);
            return faults.Properties is { } rewrite
                ? Response.FromValue(rewrite(BlobContainerName, Name, response.Value), response.GetRawResponse())
                : response;
        }
    }

    /// <summary>A copy of <paramref name="p"/> with the copy status, length or MD5 replaced.</summary>
    public static BlobProperties With(BlobProperties p, CopyStatus? copyStatus = null, long? contentLength = null, byte[]? contentHash = null) =>
        BlobsModelFactory.BlobProperties(
            lastModified: p.LastModified, leaseStatus: p.LeaseStatus, contentLength: contentLength ?? p.ContentLength, contentType: p.ContentType,
            eTag: p.ETag, leaseState: p.LeaseState, contentEncoding: p.ContentEncoding, contentDisposition: p.ContentDisposition,
            contentLanguage: p.ContentLanguage, cacheControl: p.CacheControl, blobSequenceNumber: p.BlobSequenceNumber, leaseDuration: p.LeaseDuration,
            acceptRanges: p.AcceptRanges, destinationSnapshot: p.DestinationSnapshot, blobCommittedBlockCount: p.BlobCommittedBlockCount,
            isIncrementalCopy: p.IsIncrementalCopy, isServerEncrypted: p.IsServerEncrypted, copyStatus: copyStatus ?? p.CopyStatus,
            encryptionKeySha256: p.EncryptionKeySha256, copySource: p.CopySource, encryptionScope: p.EncryptionScope, copyProgress: p.CopyProgress,
            accessTier: p.AccessTier, copyId: p.CopyId, accessTierInferred: p.AccessTierInferred,
            copyStatusDescription: copyStatus is null ? p.CopyStatusDescription : $"injected {copyStatus}", archiveStatus: p.ArchiveStatus,
            copyCompletedOn: p.CopyCompletedOn, accessTierChangedOn: p.AccessTierChangedOn, blobType: p.BlobType, versionId: p.VersionId,
            objectReplicationSourceProperties: p.ObjectReplicationSourceProperties, isLatestVersion: p.IsLatestVersion,
            objectReplicationDestinationPolicyId: p.ObjectReplicationDestinationPolicyId, tagCount: p.TagCount, metadata: p.Metadata,
            expiresOn: p.ExpiresOn, createdOn: p.CreatedOn, isSealed: p.IsSealed, rehydratePriority: p.RehydratePriority,
            contentHash: contentHash ?? p.ContentHash, lastAccessed: p.LastAccessed, immutabilityPolicy: p.ImmutabilityPolicy, hasLegalHold: p.HasLegalHold);
}
