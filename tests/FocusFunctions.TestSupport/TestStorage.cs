using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using FocusFunctions.Core.Hosting;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FocusFunctions.TestSupport;

/// <summary>
/// The app's real service wiring (<see cref="FocusServiceCollectionExtensions.AddFocusServices"/>) against Azurite,
/// with containers and a table of its own so that tests sharing one Azurite cannot see each other's tiles.
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    /// <summary>The trained model, once it lands in the repository; until then tests use <see cref="LaplacianFocusModel"/>.</summary>
    public static readonly string RealModelPath = Path.Combine(RepositoryPaths.Root, "models", "focus-model.onnx");

    private readonly ServiceProvider _services;

    private TestStorage(ServiceProvider services, IFocusModel model)
    {
        _services = services;
        Model = model;
        Options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var clients = services.GetRequiredService<StorageClientFactory>();
        Tiles = clients.Container(Options.TilesContainer);
        Rejected = clients.Container(Options.RejectedContainer);
        Quarantine = clients.Container(Options.QuarantineContainer);
        Results = clients.ResultsTable;
    }

    public IServiceProvider Services => _services;

    public IFocusModel Model { get; }

    public StorageOptions Options { get; }

    public BlobContainerClient Tiles { get; }

    public BlobContainerClient Rejected { get; }

    public BlobContainerClient Quarantine { get; }

    public TableClient Results { get; }

    public TestFaults Faults => _services.GetRequiredService<TestFaults>();

    public TileProcessor Processor => _services.GetRequiredService<TileProcessor>();

    /// <param name="useRealModelIfPresent">Score with the trained ONNX model when models/focus-model.onnx exists.</param>
    /// <param name="syncCopyLimitBytes">Sources up to this size are copied synchronously (Azure's limit unless given).</param>
    /// <param name="model">A model double to score with instead (e.g. a <see cref="FaultingFocusModel"/>).</param>
    public static async Task<TestStorage> CreateAsync(AzuriteFixture azurite, bool useRealModelIfPresent = false, IDictionary<string, string?>? settings = null,
        long syncCopyLimitBytes = TileMover.SyncCopyLimitBytes, IFocusModel? model = null)
    {
        string id = Guid.NewGuid().ToString("N")[..10];
        var configuration = new Dictionary<string, string?>
        {
            ["FocusStorage"] = azurite.ConnectionString,
            ["TILES_CONTAINER"] = $"tiles-{id}",
            ["Storage:RejectedContainer"] = $"rejected-{id}",
            ["Storage:QuarantineContainer"] = $"quarantine-{id}",
            ["Storage:ResultsTable"] = $"FocusResults{id}",
            // Fast retries: an Azurite restart takes about a second.
            ["Storage:MaxRetries"] = "3",
            ["Storage:RetryDelay"] = "00:00:00.100",
            ["Storage:MaxRetryDelay"] = "00:00:01",
            ["Storage:NetworkTimeout"] = "00:00:20",
            ["Processing:RetryDelay"] = "00:00:00.300",
            ["Processing:MaxAttempts"] = "6",
            ["Scoring:ModelPath"] = RealModelPath,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddLogging();
        // The processor's storage clients run the fault hooks; the tests' own clients (Tiles, Rejected, ...) do not.
        var faults = new TestFaults();
        services.AddSingleton(faults);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var client = new FaultingStorageClients.Table(azurite.ConnectionString, options.ResultsTable,
                StorageClientFactory.WithRetries(new TableClientOptions(), options), faults);
            return new ResultTable(client);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var blobs = new FaultingStorageClients.Blobs(azurite.ConnectionString, StorageClientFactory.WithRetries(new BlobClientOptions(), options), faults);
            return new TileMover(blobs, sp.GetRequiredService<CopySourceAuthorization>(), options, syncCopyLimitBytes);
        });
        if (model is not null)
        {
            services.AddSingleton(model);
        }
        else if (!(useRealModelIfPresent && File.Exists(RealModelPath)))
        {
            services.AddSingleton<IFocusModel, LaplacianFocusModel>();
        }

        services.AddFocusServices();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var storage = new TestStorage(provider, provider.GetRequiredService<IFocusModel>());
        await storage.EnsureCreatedAsync();
        return storage;
    }

    public Task EnsureCreatedAsync() =>
        StorageInitializer.EnsureCreatedAsync(_services.GetRequiredService<StorageClientFactory>().Blobs, Results, Options, CancellationToken.None);

    public async Task<ETag> UploadAsync(string blobName, byte[] content)
    {
        var response = await Tiles.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(content), overwrite: true);
        return response.Value.ETag;
    }

    public async Task<List<FocusResultEntity>> RowsAsync()
    {
        var rows = new List<FocusResultEntity>();
        await foreach (var row in Results.QueryAsync<FocusResultEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<FocusResultEntity> SingleRowAsync(string blobName)
    {
        var rows = (await RowsAsync()).Where(r => r.BlobName == blobName).ToList();
        Assert.Single(rows);
        return rows[0];
    }

    public static async Task<List<string>> NamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
