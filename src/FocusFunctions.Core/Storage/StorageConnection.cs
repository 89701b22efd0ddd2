using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace FocusFunctions.Core.Storage;

/// <summary>
/// How to reach a storage account, read the way the Functions host reads a connection: either a connection string in
/// the setting itself, or identity-based settings below it (<c>__blobServiceUri</c>, <c>__tableServiceUri</c>,
/// <c>__queueServiceUri</c>, <c>__credential</c>, <c>__clientId</c>).
/// </summary>
public sealed record StorageConnection
{
    /// <summary>Azurite's published, well-known development account key (not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string DevelopmentAccountName = "devstoreaccount1";

    public string? ConnectionString { get; init; }

    public Uri? BlobServiceUri { get; init; }

    public Uri? TableServiceUri { get; init; }

    public Uri? QueueServiceUri { get; init; }

    public TokenCredential? Credential { get; init; }

    /// <summary>Azurite's connection string for the given loopback ports.</summary>
    public static string Development(int blobPort = 10000, int queuePort = 10001, int tablePort = 10002, string host = "127.0.0.1") =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://{host}:{blobPort}/{DevelopmentAccountName};" +
        $"QueueEndpoint=http://{host}:{queuePort}/{DevelopmentAccountName};" +
        $"TableEndpoint=http://{host}:{tablePort}/{DevelopmentAccountName};";

    /// <summary>Reads the connection called <paramref name="name"/>; throws naming the settings when it is missing.</summary>
    public static StorageConnection Resolve(IConfiguration configuration, string name)
    {
        var section = configuration.GetSection(name);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new StorageConnection { ConnectionString = Normalize(section.Value) };
        }

        string? account = section["accountName"];
        Uri? blob = UriOf(section["blobServiceUri"] ?? section["serviceUri"], account, "blob");
        Uri? table = UriOf(section["tableServiceUri"], account, "table");
        Uri? queue = UriOf(section["queueServiceUri"], account, "queue");
        if (blob is null || table is null)
        {
            throw new InvalidOperationException(
                $"Storage connection '{name}' is not configured: set '{name}' to a connection string (UseDevelopmentStorage=true for Azurite), " +
                $"or set '{name}__blobServiceUri' and '{name}__tableServiceUri' (or '{name}__accountName') for identity-based access.");
        }

        return new StorageConnection
        {
            BlobServiceUri = blob,
            TableServiceUri = table,
            QueueServiceUri = queue,
            Credential = CredentialFor(section["credential"], section["clientId"]),
        };
    }

    private static string Normalize(string connectionString) =>
        connectionString.Replace(" ", "", StringComparison.Ordinal).Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            ? Development()
            : connectionString;

    private static Uri? UriOf(string? explicitUri, string? accountName, string service) =>
        !string.IsNullOrWhiteSpace(explicitUri) ? new Uri(explicitUri)
        : !string.IsNullOrWhiteSpace(accountName) ? new Uri($"https://{accountName}.{service}.core.windows.net")
        : null;

    private static TokenCredential CredentialFor(string? credential, string? clientId)
    {
        if (string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        // Developer machines (az login, Visual Studio): the default chain, honouring a user-assigned identity if named.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId });
    }
}
