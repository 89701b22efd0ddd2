using System.CommandLine;

namespace FocusFunctions.Cli;

/// <summary><c>focus score &lt;files|folders&gt;...</c>: scores tiles on this machine and prints one result per input.</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var inputs = new ScoringInputs(ArgumentArity.OneOrMore);
        var format = new Option<OutputFormat>("--format", "-f")
        {
            Description = "table for people; json (one object per line) or csv for programs.",
            DefaultValueFactory = _ => OutputFormat.Table,
        };
        var map = new Option<string?>("--map")
        {
            Description = "Write a PNG focus map: the patch grid of one tile, or a slide mosaic (with thumbnails) for a folder of tiles named with grid positions.",
        };

        var command = new Command("score", "Score tiles for defocus and print a verdict per tile.") { format, map };
        inputs.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = inputs.Read(parseResult, parseResult.GetValue(format), parseResult.GetValue(map), reportPath: null);
            var invocation = parseResult.InvocationConfiguration;
            return Task.FromResult(ScoreRunner.Run(settings, invocation.Output, invocation.Error, cancellationToken));
        });
        return command;
    }
}

public enum OutputFormat
{
    Table,
    Json,
    Csv,
}

public sealed record ScoreSettings(
    string[] Paths,
    OutputFormat Format,
    string? MapPath,
    string TilePattern,
    ScoringSettings Scoring,
    string? ReportPath = null);
