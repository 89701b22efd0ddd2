using System.CommandLine;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Cli;

/// <summary>
/// <c>focus process</c>: runs the Function's processing over a storage account from the command line: every tile of
/// the tiles container without a final result for its current version is scored, recorded and moved, in batches.
/// </summary>
public static class ProcessCommand
{
    public static Command Create() => Create(model: null);

    /// <summary>For tests: the command with a given model instead of the ONNX file.</summary>
    internal static Command Create(Func<IServiceProvider, IFocusModel>? model)
    {
        var connection = CliStorage.ConnectionOption();
        var watch = new Option<bool>("--watch")
        {
            Description = "Keep polling for new tiles until Ctrl+C.",
        };
        var interval = new Option<int>("--interval-seconds")
        {
            Description = "Seconds between polls with --watch.",
            DefaultValueFactory = _ => 10,
        };
        var micronsPerPixel = new Option<double?>("--microns-per-pixel")
        {
            Description = "Pixel size of the tiles in µm (default: the model's, i.e. no resampling).",
        };
        var threshold = new Option<double?>("--threshold")
        {
            Description = $"Reject above this defocus in µm (default {ScoringOptions.DefaultRejectAboveMicrons:0.0}, or Scoring__RejectAboveMicrons).",
        };
        var minDecisiveFraction = new Option<double?>("--min-decisive-fraction")
        {
            Description = "Models that predict their uncertainty: share of tissue patches (0.5-1) that must be judged on one side of the threshold, " +
                "else the tile is Indeterminate (default 0.5, or Scoring__MinDecisivePatchFraction).",
        };
        var batchSize = new Option<int?>("--batch-size")
        {
            Description = "Tiles downloaded, prepared and scored together per batch (default 16, or Processing__BatchSize).",
        };
        var modelOptions = ModelOptions.Create();

        var command = new Command("process", "Score, record and move every unprocessed tile in the tiles container, as the Function does.")
        {
            connection, watch, interval, micronsPerPixel, threshold, minDecisiveFraction, batchSize,
        };
        modelOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new ProcessSettings(
                parseResult.GetValue(connection) ?? CliStorage.DefaultConnection,
                parseResult.GetValue(watch),
                TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(interval))),
                parseResult.GetValue(micronsPerPixel),
                parseResult.GetValue(threshold),
                parseResult.GetValue(batchSize),
                modelOptions.Read(parseResult),
                parseResult.GetValue(minDecisiveFraction));
            var output = parseResult.InvocationConfiguration.Output;
            var errors = parseResult.InvocationConfiguration.Error;
            return await ProcessRunner.RunAsync(settings, output, errors, model, cancellationToken);
        });
        return command;
    }
}

public sealed record ProcessSettings(
    string Connection,
    bool Watch,
    TimeSpan Interval,
    double? MicronsPerPixel,
    double? ThresholdMicrons,
    int? BatchSize,
    ModelSelection Model,
    double? MinDecisivePatchFraction = null);
