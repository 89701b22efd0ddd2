using System.CommandLine;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Cli;

/// <summary>--model and the card values a user can give when their ONNX file has no card beside it.</summary>
public sealed class ModelOptions
{
    private readonly Option<string?> _model = new("--model")
    {
        Description = "ONNX model under the model contract (default: the shipped " + ModelFiles.DefaultModelPath + "). Its card (.json) is read from beside it.",
    };

    private readonly Option<double?> _modelMicronsPerPixel = new("--model-microns-per-pixel")
    {
        Description = "Card value for a model without a card: the pixel size it was trained at.",
    };

    private readonly Option<int?> _patchSize = new("--patch-size")
    {
        Description = "Card value for a model without a card: its square input size in pixels.",
    };

    public static ModelOptions Create() => new();

    public void AddTo(Command command)
    {
        command.Options.Add(_model);
        command.Options.Add(_modelMicronsPerPixel);
        command.Options.Add(_patchSize);
    }

    public ModelSelection Read(ParseResult parseResult) => new(
        parseResult.GetValue(_model),
        parseResult.GetValue(_modelMicronsPerPixel),
        parseResult.GetValue(_patchSize));
}

/// <summary>Which model to load and, when it has no card, the card values supplied on the command line.</summary>
public sealed record ModelSelection(string? ModelPath, double? MicronsPerPixel, int? PatchSize)
{
    /// <summary>--model, or the shipped model, resolved as every host resolves it (<see cref="ModelFiles.Resolve"/>).</summary>
    public string ResolvePath() => ModelFiles.Resolve(ModelPath);

    /// <summary>The card beside the model, overridden by any card values given as options.</summary>
    public ModelCard? ResolveCard(string modelPath)
    {
        string cardPath = ModelCard.PathFor(modelPath);
        if (File.Exists(cardPath))
        {
            var card = ModelCard.Load(cardPath);
            return card with
            {
                MicronsPerPixel = MicronsPerPixel ?? card.MicronsPerPixel,
                PatchSize = PatchSize ?? card.PatchSize,
            };
        }

        if (MicronsPerPixel is null || PatchSize is null)
        {
            throw new FileNotFoundException(
                $"No model card at '{cardPath}'. Put the card beside the model, or pass --model-microns-per-pixel and --patch-size.");
        }

        var fromOptions = new ModelCard
        {
            Name = Path.GetFileNameWithoutExtension(modelPath),
            Version = "unversioned",
            MicronsPerPixel = MicronsPerPixel.Value,
            PatchSize = PatchSize.Value,
        };
        fromOptions.Validate("command-line options");
        return fromOptions;
    }
}
