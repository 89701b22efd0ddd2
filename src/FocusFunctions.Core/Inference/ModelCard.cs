using System.Text.Json;
using System.Text.Json.Serialization;

namespace FocusFunctions.Core.Inference;

/// <summary>
/// The part of a model card (models/focus-model.json) that serving needs. Preprocessing constants live here,
/// beside the weights, so that training and serving cannot drift apart.
/// </summary>
public sealed record ModelCard
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required double MicronsPerPixel { get; init; }
    public required int PatchSize { get; init; }
    public string InputName { get; init; } = "image";
    public string OutputName { get; init; } = "defocus_um";
    public string? Sha256 { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static ModelCard Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model card not found at '{path}'. Put the card (JSON) beside the ONNX file or pass its values as options.", path);
        }

        using var stream = File.OpenRead(path);
        var card = JsonSerializer.Deserialize<ModelCard>(stream, JsonOptions)
            ?? throw new InvalidDataException($"Model card '{path}' is empty.");
        card.Validate(path);
        return card;
    }

    public void Validate(string source)
    {
        if (MicronsPerPixel <= 0 || PatchSize < 16 || string.IsNullOrWhiteSpace(InputName) || string.IsNullOrWhiteSpace(OutputName))
        {
            throw new InvalidDataException($"Model card '{source}' needs micronsPerPixel > 0, patchSize >= 16, inputName and outputName.");
        }
    }

    /// <summary>The card path that belongs to a model file: same name, .json extension.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".json");
}
