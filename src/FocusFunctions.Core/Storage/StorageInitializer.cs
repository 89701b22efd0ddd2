using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace FocusFunctions.Core.Storage;

/// <summary>Creates the containers and the results table when missing (local runs; in Azure the infrastructure does it).</summary>
public static class StorageInitializer
{
    public static async Task EnsureCreatedAsync(BlobServiceClient blobs, TableClient results, StorageOptions options, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { options.TilesContainer, options.RejectedContainer, options.QuarantineContainer })
        {
            await blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await results.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }
}
