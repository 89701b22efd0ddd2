using System.CommandLine;

namespace FocusFunctions.Cli;

/// <summary><c>focus score &lt;files|folders&gt;...</c>: scores tiles on this machine and prints one result per input.</summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Tile files or folders (searched recursively for .png, .jpg, .jpeg, .tif, .tiff, .bmp).",
            Arity = ArgumentArity.OneOrMore,
        };
        paths.Validators.Add(result =>
        {
            // A string[] argument would swallow a mistyped option as a file name; name it instead.
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-') && !Path.Exists(t.Value)))
            {
                result.AddError($"Unrecognized option '{token.Value}'.");
            }
        });
        var format = new Option<OutputFormat>("--format", "-f")
        {
            Description = "table for people; json (one object per line) or csv for programs.",
            DefaultValueFactory = _ => OutputFormat.Table,
        };
        var map = new Option<string?>("--map")
        {
            Description = "Write a PNG focus map: the patch grid of one tile, or a slide mosaic for a folder of tiles named with grid positions.",
        };
        var tilePattern = new Option<string>("--tile-pattern")
        {
            Description = "Regex with named groups x and y that finds a tile's grid position in its file name, for mosaics.",
            DefaultValueFactory = _ => TilePosition.DefaultPattern,
        };
        var scoring = new ScoringCommandOptions();

        var command = new Command("score", "Score tiles for defocus and print a verdict per tile.")
        {
            paths, format, map, tilePattern,
        };
        scoring.AddTo(command);

        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new ScoreSettings(
                parseResult.GetValue(paths) ?? [],
                parseResult.GetValue(format),
                parseResult.GetValue(map),
                parseResult.GetValue(tilePattern) ?? TilePosition.DefaultPattern,
                scoring.Read(parseResult));
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
    ScoringSettings Scoring);
