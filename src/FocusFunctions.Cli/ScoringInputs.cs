using System.CommandLine;

namespace FocusFunctions.Cli;

/// <summary>
/// The tile files or folders that <c>focus score</c> and <c>focus report</c> score, their grid-position pattern, and
/// the scoring options every scoring command shares (<see cref="ScoringCommandOptions"/>, also used by evaluate).
/// </summary>
public sealed class ScoringInputs
{
    private readonly Argument<string[]> _paths;

    private readonly Option<string> _tilePattern = new("--tile-pattern")
    {
        Description = "Regex with named groups x and y that finds a tile's grid position in its file name, for mosaics.",
        DefaultValueFactory = _ => TilePosition.DefaultPattern,
    };

    private readonly ScoringCommandOptions _scoring = new();

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
        command.Options.Add(_tilePattern);
        _scoring.AddTo(command);
    }

    public ScoreSettings Read(ParseResult parseResult, OutputFormat format, string? mapPath, string? reportPath) => new(
        parseResult.GetValue(_paths) ?? [],
        format,
        mapPath,
        parseResult.GetValue(_tilePattern) ?? TilePosition.DefaultPattern,
        _scoring.Read(parseResult),
        reportPath);
}
