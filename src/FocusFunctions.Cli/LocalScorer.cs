using FocusFunctions.Core.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace FocusFunctions.Cli;

/// <summary>The shipped (or a given) model and the engine's TileScorer on this machine, for the commands that score files.</summary>
public sealed class LocalScorer : IDisposable
{
    private readonly OnnxFocusModel _model;
    private readonly TileScorer _scorer;
    private readonly ScoringSettings _settings;

    private LocalScorer(OnnxFocusModel model, TileScorer scorer, ScoringSettings settings)
    {
        _model = model;
        _scorer = scorer;
        _settings = settings;
    }

    /// <summary>Loads the model; throws the exceptions a usage error is made of (no model, no card, bad card).</summary>
    public static LocalScorer Create(ScoringSettings settings, bool announce, TextWriter errors)
    {
        string modelPath = ModelFiles.ResolveExisting(settings.Model.ModelPath);
        var card = settings.Model.ResolveCard(modelPath);
        var options = new ScoringOptions
        {
            InputMicronsPerPixel = settings.MicronsPerPixel,
            RejectAboveMicrons = settings.EffectiveThresholdMicrons,
            MinDecisivePatchFraction = settings.MinDecisivePatchFraction ?? new ScoringOptions().MinDecisivePatchFraction,
        };
        if (!(options.MinDecisivePatchFraction is >= 0.5 and <= 1))
        {
            throw new ArgumentException($"--min-decisive-fraction {options.MinDecisivePatchFraction} is outside 0.5-1.");
        }

        var model = new OnnxFocusModel(new OnnxModelOptions { ModelPath = modelPath, IntraOpThreads = settings.Threads }, NullLogger.Instance, card);
        if (announce)
        {
            errors.WriteLine($"model {model.Card.Name} {model.Card.Version} on {model.Provider}, {model.Card.MicronsPerPixel} µm/px, threshold {options.RejectAboveMicrons} µm" +
                (model.PredictsScale
                    ? $", {model.Card.IntervalLevel:P0} patch intervals, Indeterminate below {options.MinDecisivePatchFraction:P0} decisive patches"
                    : ""));
        }

        if (options.InputMicronsPerPixel is double input && TileScorer.IsCoarserThanModel(input, model.Card.MicronsPerPixel))
        {
            // On stderr in every format, so JSON and CSV output stay machine-readable.
            errors.WriteLine($"focus: warning: {input} µm/px is coarser than the model's {model.Card.MicronsPerPixel} µm/px: {TileScorer.CoarseInputAdvice}");
        }

        return new LocalScorer(model, new TileScorer(model, Options.Create(options), Options.Create(new DecodeOptions { TiffPage = settings.TiffPage }), NullLogger<TileScorer>.Instance), settings);
    }

    /// <summary>True for the exceptions <see cref="Create"/> reports as usage errors.</summary>
    public static bool IsSetupError(Exception ex) =>
        ex is ArgumentException or FileNotFoundException or InvalidDataException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

    /// <summary>Scores one file; a known <paramref name="problem"/> or an unreadable file is a Failed score, never an exception.</summary>
    public TileScore Score(string path, string? problem = null)
    {
        if (problem is not null)
        {
            return _scorer.Failed(problem, _settings.MicronsPerPixel, _settings.ThresholdMicrons);
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return _scorer.Score(stream, _settings.MicronsPerPixel, _settings.ThresholdMicrons);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return _scorer.Failed($"Cannot read the file: {ex.Message}", _settings.MicronsPerPixel, _settings.ThresholdMicrons);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault the decoder or scorer did not foresee is still this file's failure: the inputs after it get their rows.
            return _scorer.Failed(TileScorer.FaultMessage(ex), _settings.MicronsPerPixel, _settings.ThresholdMicrons);
        }
    }

    public void Dispose() => _model.Dispose();
}
