using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace FocusFunctions.Core.Storage;

/// <summary>
/// A server-side copy makes the service read the source itself, so the source needs its own authorisation: with an
/// identity, the same credential's bearer token in x-ms-copy-source-authorization; with a shared key (connection
/// string, Azurite), a read-only SAS on the source URI that expires soon after the copy.
/// </summary>
public sealed class CopySourceAuthorization(TokenCredential? credential, TimeProvider timeProvider)
{
    public const string StorageScope = "https://storage.azure.com/.default";

    public static readonly TimeSpan SasLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The source URI to copy from and the options (authorisation, source ETag condition, metadata) for the copy.</summary>
    public async Task<(Uri SourceUri, BlobCopyFromUriOptions Options)> PrepareAsync(
        BlobClient source, ETag sourceETag, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var options = new BlobCopyFromUriOptions
        {
            Metadata = metadata,
            SourceConditions = new BlobRequestConditions { IfMatch = sourceETag },
        };

        if (credential is not null)
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([StorageScope]), cancellationToken).ConfigureAwait(false);
            options.SourceAuthentication = new HttpAuthorization("Bearer", token.Token);
            return (source.Uri, options);
        }

        if (source.CanGenerateSasUri)
        {
            var sas = source.GenerateSasUri(BlobSasPermissions.Read, timeProvider.GetUtcNow().Add(SasLifetime));
            return (sas, options);
        }

        // A client built from a SAS URI already carries its authorisation in the URI.
        return (source.Uri, options);
    }
}
