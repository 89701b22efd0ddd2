using System.CommandLine;

namespace FocusFunctions.Cli;

/// <summary><c>focus evaluate &lt;folder|labels.csv&gt;</c>: scores labelled tiles and measures the model against the labels.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("labels")
        {
            Description = "A folder with in-focus/ and out-of-focus/, or a label list: CSV with a header (path and label, defocus_um or z), or the TCGA@Focus or FocusPath list as published.",
        };
        var format = new Option<SummaryFormat>("--format", "-f")
        {
            Description = "table for people; json (one summary object) for programs.",
            DefaultValueFactory = _ => SummaryFormat.Table,
        };
        var perTile = new Option<bool>("--per-tile") { Description = "Also list every tile: its label, verdict and defocus." };
        var plot = new Option<string?>("--plot") { Description = "Write a PNG: the ROC curve for in/out labels, predicted against label for continuous ones." };
        var writeSettings = new Option<string?>("--write-settings")
        {
            Description = "Put the fitted threshold into this settings file as Scoring__RejectAboveMicrons (e.g. local.settings.json; other values are kept).",
        };
        var root = new Option<string?>("--root") { Description = "Folder the list's image paths are relative to (default: the list's folder)." };
        var zStep = new Option<double?>("--z-step-microns") { Description = "FocusPath and z columns: µm between neighbouring z slices, so labels become |defocus| in µm." };
        var scoring = new ScoringCommandOptions();

        var command = new Command("evaluate", "Measure the model on labelled tiles (ROC, PR, correlations) and fit a threshold to them.")
        {
            input, format, perTile, plot, writeSettings, root, zStep,
        };
        scoring.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new EvaluateSettings(
                parseResult.GetValue(input)!,
                parseResult.GetValue(format) == SummaryFormat.Json ? OutputFormat.Json : OutputFormat.Table,
                parseResult.GetValue(perTile),
                parseResult.GetValue(plot),
                parseResult.GetValue(writeSettings),
                parseResult.GetValue(root),
                parseResult.GetValue(zStep),
                scoring.Read(parseResult));
            var invocation = parseResult.InvocationConfiguration;
            return Task.FromResult(EvaluateRunner.Run(settings, invocation.Output, invocation.Error, cancellationToken));
        });
        return command;
    }
}

/// <summary>evaluate prints one summary, so it has no CSV; per-tile rows come with --per-tile.</summary>
public enum SummaryFormat
{
    Table,
    Json,
}

public sealed record EvaluateSettings(
    string Input,
    OutputFormat Format,
    bool PerTile,
    string? PlotPath,
    string? SettingsPath,
    string? Root,
    double? ZStepMicrons,
    ScoringSettings Scoring);
