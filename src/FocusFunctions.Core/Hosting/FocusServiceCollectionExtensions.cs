using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Reports;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FocusFunctions.Core.Hosting;

public static class FocusServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start-up), the model, the scorer, storage clients and the tile processor. Needs an
    /// <see cref="IConfiguration"/> in the container. Register your own <see cref="IFocusModel"/> or
    /// <see cref="IProcessingFaults"/> first to replace the defaults.
    /// </summary>
    public static IServiceCollection AddFocusServices(this IServiceCollection services)
    {
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Configure<IConfiguration>(ApplyTriggerSetting)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageConnectionValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFocusModel, OnnxFocusModel>();
        services.TryAddSingleton<IProcessingFaults>(NoProcessingFaults.Instance);
        services.AddSingleton<TileScorer>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new StorageClientFactory(StorageConnection.Resolve(sp.GetRequiredService<IConfiguration>(), options.ConnectionName), options);
        });
        services.AddSingleton(sp => new CopySourceAuthorization(sp.GetRequiredService<StorageClientFactory>().Credential, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TileKeyResolver(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<StorageClientFactory>();
            return ActivatorUtilities.CreateInstance<TileProcessor>(sp, storage.Blobs, storage.ResultsTable);
        });
        services.AddSingleton(sp => new SlideQueries(sp.GetRequiredService<StorageClientFactory>().ResultsTable));
        services.AddSingleton<SlideReportLoader>();
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<StorageClientFactory>();
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new PendingTileSweeper(storage.Container(options.TilesContainer), storage.ResultsTable, sp.GetRequiredService<TileProcessor>(),
                sp.GetRequiredService<TileKeyResolver>(), sp.GetRequiredService<IOptions<ProcessingOptions>>().Value);
        });
        return services;
    }

    // The blob trigger reads %TILES_CONTAINER%; the processor must watch the same container.
    private static void ApplyTriggerSetting(StorageOptions options, IConfiguration configuration)
    {
        if (configuration[StorageOptions.TilesContainerSetting] is { Length: > 0 } container)
        {
            options.TilesContainer = container;
        }
    }
}
