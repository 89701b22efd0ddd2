using FocusFunctions.Core.Hosting;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FocusFunctions.Worker.Extensions;

public static class WorkerExtensions
{
    /// <summary>The shared scoring and processing services, the queue worker, health checks and telemetry.</summary>
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddFocusServices();
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = builder.Configuration.GetValue($"{WorkerOptions.SectionName}:{nameof(WorkerOptions.ShutdownGrace)}", TimeSpan.FromSeconds(20)) + TimeSpan.FromSeconds(10));

        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddSingleton(sp => new TileQueue(
            sp.GetRequiredService<StorageClientFactory>().Queues,
            sp.GetRequiredService<IOptions<WorkerOptions>>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.TilesContainer,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TileQueue>>()));
        builder.Services.AddHostedService<TileQueueWorker>();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"])
            .AddCheck<ModelReadyHealthCheck>("model", tags: ["ready"]);

        builder.AddTelemetry();
        return builder;
    }

    public static WebApplication MapWorkerHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new() { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    // Structured JSON logs always; metrics and logs over OTLP when an endpoint is configured (the standard variable).
    private static void AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        bool otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("focus-gpuworker"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WorkerMetrics.MeterName);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter());
        }
    }
}

/// <summary>Ready once the model is loaded (its session created); reports the execution provider.</summary>
public sealed class ModelReadyHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var model = services.GetRequiredService<IFocusModel>();
            return Task.FromResult(HealthCheckResult.Healthy($"{model.Card.Name} {model.Card.Version} on {model.Provider}"));
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The model could not be loaded.", ex));
        }
    }
}
