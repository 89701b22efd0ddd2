using Azure.Storage.Blobs;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Reports;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Hosting;

public static class FocusServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start-up), the model, the scorer, storage clients and the tile processor. Needs an
    /// <see cref="IConfiguration"/> in the container. Register your own <see cref="IFocusModel"/>,
    /// <see cref="ResultTable"/> or <see cref="TileMover"/> first to replace the defaults (tests wrap their storage clients).
    /// </summary>
    public static IServiceCollection AddFocusServices(this IServiceCollection services)
    {
        // Model, decode limits and decision are separate concerns that share the "Scoring" section users already set.
        services.AddOptions<OnnxModelOptions>().BindConfiguration(OnnxModelOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DecodeOptions>().BindConfiguration(DecodeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
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
        services.AddSingleton<TileScorer>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new StorageClientFactory(StorageConnection.Resolve(sp.GetRequiredService<IConfiguration>(), options.ConnectionName), options);
        });
        services.AddSingleton(sp => new CopySourceAuthorization(sp.GetRequiredService<StorageClientFactory>().Credential, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TileKeyResolver(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton(sp => new ResultTable(sp.GetRequiredService<StorageClientFactory>().ResultsTable));
        services.TryAddSingleton(sp => new TileMover(sp.GetRequiredService<StorageClientFactory>().Blobs, sp.GetRequiredService<CopySourceAuthorization>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TileReader>(sp, TilesContainer(sp)));
        services.AddSingleton<TileProcessor>();
        services.AddSingleton(sp => new SlideQueries(sp.GetRequiredService<StorageClientFactory>().ResultsTable));
        services.AddSingleton<SlideReportLoader>();
        services.AddSingleton(sp => new PendingTileSweeper(TilesContainer(sp), sp.GetRequiredService<ResultTable>(), sp.GetRequiredService<TileProcessor>(),
            sp.GetRequiredService<TileKeyResolver>(), sp.GetRequiredService<IOptions<ProcessingOptions>>().Value));
        return services;
    }

    private static BlobContainerClient TilesContainer(IServiceProvider services) =>
        services.GetRequiredService<StorageClientFactory>().Container(services.GetRequiredService<IOptions<StorageOptions>>().Value.TilesContainer);

    // The blob trigger reads %TILES_CONTAINER%; the processor must watch the same container.
    private static void ApplyTriggerSetting(StorageOptions options, IConfiguration configuration)
    {
        if (configuration[StorageOptions.TilesContainerSetting] is { Length: > 0 } container)
        {
            options.TilesContainer = container;
        }
    }
}
