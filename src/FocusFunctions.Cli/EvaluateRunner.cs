using FocusFunctions.Core.Evaluation;

namespace FocusFunctions.Cli;

/// <summary>Runs <c>focus evaluate</c>: every labelled tile scored once, the measures over those with a defocus verdict.</summary>
public static class EvaluateRunner
{
    /// <summary>Below this many scored tiles, or this many per class, a fitted threshold is mostly noise; said on stderr.</summary>
    public const int FewTiles = 200;
    public const int FewPerClass = 30;

    public static int Run(EvaluateSettings settings, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (settings.Scoring.EffectiveThresholdMicrons <= 0)
        {
            errors.WriteLine("focus: --threshold must be above 0 µm.");
            return ScoreRunner.ExitUsage;
        }

        LabelSet labels;
        LocalScorer scorer;
        try
        {
            labels = LabelSets.Read(settings.Input, settings.Root, settings.ZStepMicrons);
            scorer = LocalScorer.Create(settings.Scoring, announce: settings.Format == OutputFormat.Table, errors);
        }
        catch (Exception ex) when (ex is LabelSetException || LocalScorer.IsSetupError(ex))
        {
            errors.WriteLine($"focus: {ex.Message}");
            return ScoreRunner.ExitUsage;
        }

        if (settings.ZStepMicrons is not null && labels.Kind == LabelKind.Binary)
        {
            errors.WriteLine("focus: warning: --z-step-microns is ignored: these labels are in/out, not z levels.");
        }

        var tiles = new List<EvaluatedTile>(labels.Tiles.Count);
        using (scorer)
        {
            using var progress = ProgressBar.ForTerminal(settings.Format, labels.Tiles.Count, errors);
            foreach (var tile in labels.Tiles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                tiles.Add(new EvaluatedTile(tile, scorer.Score(tile.Path, tile.Problem)));
                progress.Advance();
            }
        }

        var predictions = tiles.Select(t => t.Prediction).ToList();
        var report = Evaluator.Evaluate(predictions, labels.Kind, settings.Scoring.EffectiveThresholdMicrons);
        EvaluationWriter.Write(settings, labels, report, tiles, output);
        WarnWhenFew(report, errors);
        WriteFiles(settings, report, predictions, errors);
        return tiles.Any(t => t.Score.Verdict == FocusVerdict.Failed) ? ScoreRunner.ExitSomeFailed : ScoreRunner.ExitAllScored;
    }

    private static void WarnWhenFew(EvaluationReport report, TextWriter errors)
    {
        if (report.BestThresholdMicrons is null)
        {
            return;
        }

        int smallerClass = Math.Min(report.InFocusCount ?? 0, report.OutOfFocusCount ?? 0);
        if (report.ScoredCount < FewTiles || smallerClass < FewPerClass)
        {
            errors.WriteLine($"focus: warning: the threshold is fitted on {report.ScoredCount} tiles, {smallerClass} in the smaller class; below {FewTiles} tiles or {FewPerClass} a class it moves with every tile added (docs/evaluate.md).");
        }
    }

    private static void WriteFiles(EvaluateSettings settings, EvaluationReport report, IReadOnlyList<LabelledPrediction> predictions, TextWriter errors)
    {
        // The measures are printed already; a file that cannot be written is said on stderr and changes no exit code.
        if (settings.PlotPath is not null)
        {
            Try(errors, "plot", () => File.WriteAllBytes(settings.PlotPath, EvaluationPlot.Render(report, predictions)), settings.PlotPath);
        }

        if (settings.SettingsPath is not null)
        {
            if (report.BestThresholdMicrons is double best)
            {
                Try(errors, "settings", () => SettingsFile.SetRejectAbove(settings.SettingsPath, best), settings.SettingsPath);
            }
            else
            {
                errors.WriteLine("focus: no settings written: fitting a threshold needs scored tiles of both classes.");
            }
        }
    }

    private static void Try(TextWriter errors, string what, Action write, string path)
    {
        try
        {
            write();
            errors.WriteLine($"focus: {what} written to {path}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Text.Json.JsonException or InvalidDataException)
        {
            errors.WriteLine($"focus: no {what} written: {ex.Message}");
        }
    }
}

/// <summary>A labelled tile and its score.</summary>
public sealed record EvaluatedTile(LabelledTile Tile, TileScore Score)
{
    public LabelledPrediction Prediction => new(Tile.Label, Score.Verdict, Score.DefocusMicrons);
}
