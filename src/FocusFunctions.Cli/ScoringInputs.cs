using System.CommandLine;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Cli;

/// <summary>The inputs and scoring options that <c>focus score</c> and <c>focus report</c> share.</summary>
public sealed class ScoringInputs
{
    private readonly Argument<string[]> _paths;

    private readonly Option<double?> _micronsPerPixel = new("--microns-per-pixel")
    {
        Description = "Pixel size of the inputs in µm (default: the model's, i.e. no resampling).",
    };

    private readonly Option<double?> _threshold = new("--threshold") { Description = "Reject above this defocus in µm (default 2.0)." };

    private readonly Option<string> _tilePattern = new("--tile-pattern")
    {
        Description = "Regex with named groups x and y that finds a tile's grid position in its file name, for mosaics.",
        DefaultValueFactory = _ => TilePosition.DefaultPattern,
    };

    private readonly Option<TiffPageSelection> _tiffPage = new("--tiff-page")
    {
        Description = "Multi-page TIFF: first page, or the sharpest page of a z-stack.",
        DefaultValueFactory = _ => TiffPageSelection.First,
    };

    private readonly Option<int> _threads = new("--threads") { Description = "ONNX Runtime intra-op threads (0 = all cores).", DefaultValueFactory = _ => 0 };

    private readonly ModelOptions _model = ModelOptions.Create();

    public ScoringInputs(ArgumentArity arity)
    {
        _paths = new Argument<string[]>("paths")
        {
            Description = "Tile files or folders (searched recursively for .png, .jpg, .jpeg, .tif, .tiff, .bmp).",
            Arity = arity,
        };
        _paths.Validators.Add(result =>
        {
            // A string[] argument would swallow a mistyped option as a file name; name it instead.
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-') && !Path.Exists(t.Value)))
            {
                result.AddError($"Unrecognized option '{token.Value}'.");
            }
        });
    }

    public Argument<string[]> Paths => _paths;

    public void AddTo(Command command)
    {
        command.Arguments.Add(_paths);
        command.Options.Add(_micronsPerPixel);
        command.Options.Add(_threshold);
        command.Options.Add(_tilePattern);
        command.Options.Add(_tiffPage);
        command.Options.Add(_threads);
        _model.AddTo(command);
    }

    public ScoreSettings Read(ParseResult parseResult, OutputFormat format, string? mapPath, string? reportPath) => new(
        parseResult.GetValue(_paths) ?? [],
        format,
        parseResult.GetValue(_micronsPerPixel),
        parseResult.GetValue(_threshold),
        mapPath,
        parseResult.GetValue(_tilePattern) ?? TilePosition.DefaultPattern,
        parseResult.GetValue(_tiffPage),
        parseResult.GetValue(_threads),
        _model.Read(parseResult),
        reportPath);
}
