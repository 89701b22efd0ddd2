using System.Globalization;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Processing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FocusFunctions.Cli;

/// <summary>Runs <c>focus process</c>: one sweep, or sweeps every interval with --watch, then a summary.</summary>
public static class ProcessRunner
{
    public const int ExitDone = 0;
    public const int ExitUsage = 1;
    public const int ExitSomeFailed = 2;

    public static async Task<int> RunAsync(ProcessSettings settings, TextWriter output, TextWriter errors,
        Func<IServiceProvider, IFocusModel>? model, CancellationToken cancellationToken)
    {
        ServiceProvider services;
        PendingTileSweeper sweeper;
        try
        {
            services = CliStorage.Build(settings.Connection, SettingsFor(settings), model ?? (sp => LoadModel(sp, settings.Model)));
            sweeper = services.GetRequiredService<PendingTileSweeper>();
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or FormatException or ArgumentException
            or FileNotFoundException or InvalidDataException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            errors.WriteLine($"focus: {ex.Message}");
            return ExitUsage;
        }

        await using (services)
        {
            var all = new List<TileOutcome>();
            try
            {
                await CliStorage.EnsureCreatedAsync(services, cancellationToken);
                OutcomeTable.WriteHeader(output);
                do
                {
                    try
                    {
                        await sweeper.SweepAsync(batch =>
                        {
                            OutcomeTable.Write(output, batch);
                            all.AddRange(batch);
                        }, cancellationToken);
                    }
                    catch (Exception ex) when (settings.Watch && CliStorage.IsStorageFailure(ex))
                    {
                        // Watching outlives a storage hiccup: say so and try again at the next poll.
                        errors.WriteLine($"focus: storage: {CliStorage.Describe(ex)} (retrying in {settings.Interval.TotalSeconds:0} s)");
                    }

                    if (settings.Watch)
                    {
                        await Task.Delay(settings.Interval, cancellationToken);
                    }
                }
                while (settings.Watch);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: stop polling and summarise what was done; a tile cut short is finished by the next run.
            }
            catch (Exception ex) when (CliStorage.IsStorageFailure(ex))
            {
                errors.WriteLine($"focus: storage: {CliStorage.Describe(ex)}");
                OutcomeTable.WriteSummary(output, all);
                return ExitSomeFailed;
            }

            OutcomeTable.WriteSummary(output, all);
            return all.Any(o => o.Kind == OutcomeKind.Failed) ? ExitSomeFailed : ExitDone;
        }
    }

    private static Dictionary<string, string?> SettingsFor(ProcessSettings settings)
    {
        var values = new Dictionary<string, string?> { ["Scoring:ModelPath"] = settings.Model.ResolvePath() };
        if (settings.MicronsPerPixel is { } mpp)
        {
            values["Scoring:InputMicronsPerPixel"] = mpp.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.ThresholdMicrons is { } threshold)
        {
            values["Scoring:RejectAboveMicrons"] = threshold.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.MinDecisivePatchFraction is { } fraction)
        {
            // Checked with the other Scoring settings when the services are built (a usage error outside 0.5-1).
            values["Scoring:MinDecisivePatchFraction"] = fraction.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.BatchSize is { } batchSize)
        {
            values["Processing:BatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }

    private static OnnxFocusModel LoadModel(IServiceProvider services, ModelSelection selection)
    {
        var options = services.GetRequiredService<IOptions<OnnxModelOptions>>().Value;
        var card = selection.ResolveCard(ModelFiles.ResolveExisting(options.ModelPath));
        return new OnnxFocusModel(options, services.GetRequiredService<ILogger<OnnxFocusModel>>(), card);
    }
}
