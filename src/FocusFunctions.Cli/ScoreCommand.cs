using System.CommandLine;
using FocusFunctions.Core.Inference;

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
        var micronsPerPixel = new Option<double?>("--microns-per-pixel")
        {
            Description = "Pixel size of the inputs in µm (default: the model's, i.e. no resampling).",
        };
        var threshold = new Option<double?>("--threshold")
        {
            Description = $"Reject above this defocus in µm (default {ScoringOptions.DefaultRejectAboveMicrons:0.0}).",
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
        var tiffPage = new Option<TiffPageSelection>("--tiff-page")
        {
            Description = "Multi-page TIFF: first page, or the sharpest page of a z-stack.",
            DefaultValueFactory = _ => TiffPageSelection.First,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "ONNX Runtime intra-op threads (0 = all cores).",
            DefaultValueFactory = _ => 0,
        };
        var model = ModelOptions.Create();

        var command = new Command("score", "Score tiles for defocus and print a verdict per tile.")
        {
            paths, format, micronsPerPixel, threshold, map, tilePattern, tiffPage, threads,
        };
        model.AddTo(command);

        command.SetAction((parseResult, cancellationToken) =>
        {
            var settings = new ScoreSettings(
                parseResult.GetValue(paths) ?? [],
                parseResult.GetValue(format),
                parseResult.GetValue(micronsPerPixel),
                parseResult.GetValue(threshold),
                parseResult.GetValue(map),
                parseResult.GetValue(tilePattern) ?? TilePosition.DefaultPattern,
                parseResult.GetValue(tiffPage),
                parseResult.GetValue(threads),
                model.Read(parseResult));
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
    double? MicronsPerPixel,
    double? ThresholdMicrons,
    string? MapPath,
    string TilePattern,
    TiffPageSelection TiffPage,
    int Threads,
    ModelSelection Model);
