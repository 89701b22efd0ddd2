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

    /// <summary>
    /// The optional second output: per patch the scale b (µm) of a Laplace distribution centred on the defocus
    /// (e.g. "defocus_scale_um"). Null for a model without it, which then never says Indeterminate.
    /// </summary>
    public string? ScaleOutputName { get; init; }

    /// <summary>How the scale is read; only <see cref="UncertaintyCard.IntervalLevel"/> matters to serving.</summary>
    public UncertaintyCard? Uncertainty { get; init; }

    /// <summary>Level of the patch defocus interval when none is written on the card.</summary>
    public const double DefaultIntervalLevel = 0.8;

    /// <summary>The level p of each patch's defocus interval, mu ± ln(1/(1−p))·b (docs/scoring.md).</summary>
    public double IntervalLevel => Uncertainty?.IntervalLevel ?? DefaultIntervalLevel;

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

        if (ScaleOutputName is not null && (string.IsNullOrWhiteSpace(ScaleOutputName) || ScaleOutputName == OutputName))
        {
            throw new InvalidDataException($"Model card '{source}': scaleOutputName must name an output other than '{OutputName}'.");
        }

        if (Uncertainty?.Distribution is { } distribution && !distribution.Equals("laplace", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Model card '{source}': uncertainty.distribution is '{distribution}'; the engine reads only 'laplace'.");
        }

        if (!(IntervalLevel > 0 && IntervalLevel < 1))
        {
            throw new InvalidDataException($"Model card '{source}': uncertainty.intervalLevel is {IntervalLevel}; it must lie between 0 and 1 (e.g. 0.8).");
        }
    }

    /// <summary>The card path that belongs to a model file: same name, .json extension.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".json");
}

/// <summary>The card's "uncertainty" block (written by training); calibration details stay on the card for people.</summary>
public sealed record UncertaintyCard
{
    /// <summary>"laplace": the only distribution the engine reads.</summary>
    public string? Distribution { get; init; }

    /// <summary>Level p of the patch interval; <see cref="ModelCard.DefaultIntervalLevel"/> when missing.</summary>
    public double? IntervalLevel { get; init; }
}
