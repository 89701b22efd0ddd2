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
    }
}
