using System.CommandLine;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Cli;

/// <summary>The scoring options every command that scores tiles on this machine shares (score, evaluate).</summary>
public sealed class ScoringCommandOptions
{
    private readonly Option<double?> _micronsPerPixel = new("--microns-per-pixel")
    {
        Description = "Pixel size of the inputs in µm (default: the model's, i.e. no resampling).",
    };

    private readonly Option<double?> _threshold = new("--threshold")
    {
        Description = $"Reject above this defocus in µm (default {ScoringOptions.DefaultRejectAboveMicrons:0.0}).",
    };

    private readonly Option<double?> _minDecisiveFraction = new("--min-decisive-fraction")
    {
        Description = "Models that predict their uncertainty: share of tissue patches (0.5-1) that must be judged on one side of the threshold, " +
            "else the tile is Indeterminate (default 0.5, or Scoring__MinDecisivePatchFraction).",
    };

    private readonly Option<TiffPageSelection> _tiffPage = new("--tiff-page")
    {
        Description = "Multi-page TIFF: first page, or the sharpest page of a z-stack.",
        DefaultValueFactory = _ => TiffPageSelection.First,
    };

    private readonly Option<int> _threads = new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (0 = all cores).",
        DefaultValueFactory = _ => 0,
    };

    private readonly ModelOptions _model = ModelOptions.Create();

    public void AddTo(Command command)
    {
        command.Options.Add(_micronsPerPixel);
        command.Options.Add(_threshold);
        command.Options.Add(_minDecisiveFraction);
        command.Options.Add(_tiffPage);
        command.Options.Add(_threads);
        _model.AddTo(command);
    }

    public ScoringSettings Read(ParseResult parseResult) => new(
        parseResult.GetValue(_micronsPerPixel),
        parseResult.GetValue(_threshold),
        parseResult.GetValue(_tiffPage),
        parseResult.GetValue(_threads),
        _model.Read(parseResult),
        parseResult.GetValue(_minDecisiveFraction));
}

public sealed record ScoringSettings(
    double? MicronsPerPixel,
    double? ThresholdMicrons,
    TiffPageSelection TiffPage,
    int Threads,
    ModelSelection Model,
    double? MinDecisivePatchFraction = null)
{
    public double EffectiveThresholdMicrons => ThresholdMicrons ?? ScoringOptions.DefaultRejectAboveMicrons;
}
