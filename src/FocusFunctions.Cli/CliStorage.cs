using System.CommandLine;
using FocusFunctions.Core.Hosting;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FocusFunctions.Cli;

/// <summary>
/// The app's own services (<see cref="FocusServiceCollectionExtensions.AddFocusServices"/>) for storage commands, so
/// that the CLI processes tiles exactly as the Function does. Settings come from environment variables (the same
/// names as the Function app's, e.g. Storage__RejectedContainer), overridden by command-line options.
/// </summary>
internal static class CliStorage
{
    public const string DefaultConnection = "UseDevelopmentStorage=true";

    public static ServiceProvider Build(string connection, IDictionary<string, string?> settings, Func<IServiceProvider, IFocusModel>? model = null)
    {
        var values = new Dictionary<string, string?>(settings) { ["FocusStorage"] = connection };
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // Logs go to stderr, warnings and up: stdout carries the results.
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        if (model is not null)
        {
            services.AddSingleton(model);
        }

        services.AddFocusServices();
        var provider = services.BuildServiceProvider();
        try
        {
            // What the host does at start-up: refuse bad settings before touching storage.
            provider.GetRequiredService<IStartupValidator>().Validate();
            return provider;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    public static Option<string> ConnectionOption() => new("--connection", "-c")
    {
        Description = "Storage connection string, or UseDevelopmentStorage=true for Azurite on its default ports.",
        DefaultValueFactory = _ => DefaultConnection,
    };

    public static Task EnsureCreatedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var clients = services.GetRequiredService<StorageClientFactory>();
        return StorageInitializer.EnsureCreatedAsync(clients.Blobs, clients.ResultsTable, services.GetRequiredService<IOptions<StorageOptions>>().Value, cancellationToken);
    }

    /// <summary>Storage unreachable or refusing: Azurite not running, a wrong endpoint, missing permissions.</summary>
    public static bool IsStorageFailure(Exception ex) =>
        ex is Azure.RequestFailedException or AggregateException or HttpRequestException or TimeoutException;

    /// <summary>The first line of a storage error: the SDK appends request and header dumps a person does not need.</summary>
    public static string Describe(Exception ex)
    {
        var inner = ex is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[^1] : ex;
        return inner.Message.Split('\n', 2)[0].Trim();
    }

    /// <summary>Runs a storage command; a storage or configuration failure becomes one readable line and exit code 2.</summary>
    public static async Task<int> GuardAsync(TextWriter errors, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception ex) when (IsStorageFailure(ex) || ex is FormatException or OptionsValidationException or InvalidOperationException)
        {
            errors.WriteLine($"focus: storage: {Describe(ex)}");
            return 2;
        }
    }
}
