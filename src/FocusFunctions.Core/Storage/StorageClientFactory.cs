using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace FocusFunctions.Core.Storage;

/// <summary>
/// Builds the app's storage clients once from its connection, with exponential retries on every request. Clients are
/// thread-safe and meant to be shared for the life of the process.
/// </summary>
public sealed class StorageClientFactory
{
    private readonly StorageConnection _connection;
    private readonly StorageOptions _options;
    private readonly Lazy<BlobServiceClient> _blobs;
    private readonly Lazy<TableServiceClient> _tables;
    private readonly Lazy<QueueServiceClient> _queues;

    public StorageClientFactory(StorageConnection connection, StorageOptions options)
    {
        _connection = connection;
        _options = options;
        _blobs = new(CreateBlobs);
        _tables = new(CreateTables);
        _queues = new(CreateQueues);
    }

    /// <summary>The identity used for requests; null when a connection string (shared key or SAS) is used.</summary>
    public TokenCredential? Credential => _connection.Credential;

    public BlobServiceClient Blobs => _blobs.Value;

    public TableServiceClient Tables => _tables.Value;

    public QueueServiceClient Queues => _queues.Value;

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public TableClient ResultsTable => Tables.GetTableClient(_options.ResultsTable);

    private BlobServiceClient CreateBlobs()
    {
        var options = Configure(new BlobClientOptions());
        return _connection.ConnectionString is { } cs
            ? new BlobServiceClient(cs, options)
            : new BlobServiceClient(_connection.BlobServiceUri, _connection.Credential, options);
    }

    private TableServiceClient CreateTables()
    {
        var options = Configure(new TableClientOptions());
        return _connection.ConnectionString is { } cs
            ? new TableServiceClient(cs, options)
            : new TableServiceClient(_connection.TableServiceUri, _connection.Credential, options);
    }

    private QueueServiceClient CreateQueues()
    {
        var options = Configure(new QueueClientOptions());
        if (_connection.ConnectionString is { } cs)
        {
            return new QueueServiceClient(cs, options);
        }

        return new QueueServiceClient(_connection.QueueServiceUri
            ?? throw new InvalidOperationException($"Set '{_options.ConnectionName}__queueServiceUri' to use queues with identity-based access."),
            _connection.Credential, options);
    }

    private T Configure<T>(T options) where T : ClientOptions => WithRetries(options, _options);

    /// <summary>The app's retry policy (exponential, from <see cref="StorageOptions"/>) on any storage client's options.</summary>
    public static T WithRetries<T>(T options, StorageOptions storage) where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = storage.MaxRetries;
        options.Retry.Delay = storage.RetryDelay;
        options.Retry.MaxDelay = storage.MaxRetryDelay;
        options.Retry.NetworkTimeout = storage.NetworkTimeout;
        return options;
    }
}
