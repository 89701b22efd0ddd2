using System.Text.RegularExpressions;
using FocusFunctions.Core.Inference;
using Microsoft.Extensions.Logging.Abstractions;

namespace FocusFunctions.Cli;

/// <summary>Runs <c>focus score</c>: every input gets exactly one result; a bad file never stops the others.</summary>
public static class ScoreRunner
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"];

    public const int ExitAllScored = 0;
    public const int ExitUsage = 1;
    public const int ExitSomeFailed = 2;

    public static int Run(ScoreSettings settings, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        Regex pattern;
        TileScorer scorer;
        OnnxFocusModel model;
        try
        {
            pattern = new Regex(settings.TilePattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            (model, scorer) = CreateScorer(settings, errors);
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or InvalidDataException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            errors.WriteLine($"focus: {ex.Message}");
            return ExitUsage;
        }

        using (model)
        {
            var inputs = ExpandInputs(settings.Paths);
            var writer = ResultWriter.For(settings.Format, output);
            using var progress = ProgressBar.ForTerminal(settings.Format, inputs.Count, errors);
            var results = new List<(string Path, TileScore Score)>(inputs.Count);
            writer.Begin();
            foreach (var input in inputs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var score = ScoreOne(scorer, input, settings);
                results.Add((input.Path, score));
                writer.Write(input.Path, score);
                progress.Advance();
            }

            progress.Dispose();
            writer.End();
            if (settings.MapPath is not null)
            {
                try
                {
                    FocusMaps.Write(settings.MapPath, results, pattern, errors);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    // The scores are printed already; a map that cannot be written does not change the exit code.
                    errors.WriteLine($"focus: no map written: {ex.Message}");
                }
            }

            if (settings.ReportPath is not null && results.Count > 0
                && !LocalReport.Write(settings.ReportPath, LocalReport.Create(results, pattern, settings.Paths), errors))
            {
                return ExitUsage;
            }

            return results.Any(r => r.Score.Verdict == FocusVerdict.Failed) ? ExitSomeFailed : ExitAllScored;
        }
    }

    private static (OnnxFocusModel, TileScorer) CreateScorer(ScoreSettings settings, TextWriter errors)
    {
        string modelPath = settings.Model.ResolvePath();
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file not found at '{modelPath}'.", modelPath);
        }

        var card = settings.Model.ResolveCard(modelPath);
        var options = new ScoringOptions
        {
            ModelPath = modelPath,
            InputMicronsPerPixel = settings.MicronsPerPixel,
            RejectAboveMicrons = settings.ThresholdMicrons ?? new ScoringOptions().RejectAboveMicrons,
            IntraOpThreads = settings.Threads,
            TiffPage = settings.TiffPage,
        };
        var model = new OnnxFocusModel(options, NullLogger.Instance, card);
        if (settings.Format == OutputFormat.Table)
        {
            errors.WriteLine($"model {model.Card.Name} {model.Card.Version} on {model.Provider}, {model.Card.MicronsPerPixel} µm/px, threshold {options.RejectAboveMicrons} µm");
        }

        if (options.InputMicronsPerPixel is double input && TileScorer.IsCoarserThanModel(input, model.Card.MicronsPerPixel))
        {
            // On stderr in every format, so JSON and CSV output stay machine-readable.
            errors.WriteLine($"focus: warning: {input} µm/px is coarser than the model's {model.Card.MicronsPerPixel} µm/px: {TileScorer.CoarseInputAdvice}");
        }

        return (model, new TileScorer(model, Options.Create(options), NullLogger<TileScorer>.Instance));
    }

    private static TileScore ScoreOne(TileScorer scorer, InputFile input, ScoreSettings settings)
    {
        if (input.Problem is not null)
        {
            return scorer.Failed(input.Problem, settings.MicronsPerPixel, settings.ThresholdMicrons);
        }

        try
        {
            using var stream = new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return scorer.Score(stream, settings.MicronsPerPixel, settings.ThresholdMicrons);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return scorer.Failed($"Cannot read the file: {ex.Message}", settings.MicronsPerPixel, settings.ThresholdMicrons);
        }
    }

    internal sealed record InputFile(string Path, string? Problem);

    internal static List<InputFile> ExpandInputs(IEnumerable<string> paths)
    {
        var inputs = new List<InputFile>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                {
                    inputs.Add(new InputFile(path, "The folder holds no .png, .jpg, .tif or .bmp files."));
                }

                inputs.AddRange(files.Select(f => new InputFile(f, null)));
            }
            else if (File.Exists(path))
            {
                inputs.Add(new InputFile(path, null));
            }
            else
            {
                inputs.Add(new InputFile(path, "No such file or folder."));
            }
        }

        return inputs;
    }
}
