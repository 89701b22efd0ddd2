using System.Globalization;
using System.Text.Json.Serialization;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Worker;

/// <summary>The command line of <c>gpu-check</c>.</summary>
internal sealed record GpuCheckSettings
{
    public const string Usage =
        "usage: gpu-check [model.onnx] [--tiles DIR] [--batches 64,128,256,512,1024] [--decode-threads N] [--tile-batch N] " +
        "[--seconds S] [--cudnn-search heuristic|exhaustive|default] [--overlap] [--cpu-only] [--json FILE]";

    public string ModelPath { get; init; } = ModelFiles.DefaultModelPath;
    public string? TilesFolder { get; init; }
    public IReadOnlyList<int> Batches { get; init; } = [64, 128, 256, 512, 1024];
    public int DecodeThreads { get; init; } = Environment.ProcessorCount;
    public int TileBatch { get; init; } = 64;
    public double Seconds { get; init; } = 2;
    public CudnnAlgorithmSearch CudnnSearch { get; init; } = new OnnxModelOptions().CudnnConvAlgoSearch;
    public bool CpuOnly { get; init; }

    /// <summary>End to end, prepare the next batch of tiles while the model scores this one (the worker runs them in sequence).</summary>
    public bool Overlap { get; init; }
    public string? JsonPath { get; init; }

    public static GpuCheckSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new GpuCheckSettings();
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--tiles" => settings with { TilesFolder = Value() },
                "--batches" => settings with { Batches = Value().Split(',').Select(b => Positive(b, "--batches")).ToArray() },
                "--decode-threads" => settings with { DecodeThreads = Positive(Value(), "--decode-threads") },
                "--tile-batch" => settings with { TileBatch = Positive(Value(), "--tile-batch") },
                "--seconds" => settings with { Seconds = PositiveSeconds(Value()) },
                "--cudnn-search" => settings with { CudnnSearch = Enum.TryParse(Value(), ignoreCase: true, out CudnnAlgorithmSearch search) && Enum.IsDefined(search)
                    ? search : throw new ArgumentException("--cudnn-search takes heuristic, exhaustive or default.") },
                "--cpu-only" => settings with { CpuOnly = true },
                "--overlap" => settings with { Overlap = true },
                "--json" => settings with { JsonPath = Value() },
                var other when other.StartsWith("--", StringComparison.Ordinal) => throw new ArgumentException($"unknown option {other}."),
                var path => settings with { ModelPath = path },
            };
        }

        if (settings.TilesFolder is not null && !Directory.Exists(settings.TilesFolder))
        {
            throw new ArgumentException($"tiles folder '{settings.TilesFolder}' does not exist.");
        }

        return settings;
    }

    private static double PositiveSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentException($"--seconds takes a positive number, not '{text}'.");

    private static int Positive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{option} takes positive whole numbers, not '{text}'.");
}

/// <summary>What <c>gpu-check --json</c> writes: every figure it printed.</summary>
internal sealed class GpuCheckReport
{
    public required string Model { get; init; }
    public int PatchSize { get; init; }
    public int CpuCores { get; init; }
    public string? Gpu { get; init; }
    public required string CudnnConvAlgoSearch { get; init; }
    public bool DecodeOverlapsScoring { get; init; }
    public List<InferenceRow> Inference { get; } = [];
    public DecodeRow? Decode { get; set; }
    public List<EndToEndRow> EndToEnd { get; } = [];
    public AgreementRow? Agreement { get; set; }
}

/// <summary>Model-only patches/s: the worker's path (managed input), pinned input via IoBinding, input already on the GPU, and the CPU.</summary>
internal sealed record InferenceRow(int Batch, double? CudaPatchesPerSecond, double? CudaPinnedPatchesPerSecond, double? CudaOnGpuPatchesPerSecond,
    double CpuPatchesPerSecond, long? GpuMemoryUsedMiB);

/// <summary>Decode, resample, tissue mask and patch tensors alone, on the decode threads: the ceiling for tiles/s.</summary>
internal sealed record DecodeRow(int DecodeThreads, double TilesPerSecond, double PatchesPerSecond);

internal sealed record EndToEndRow(string Provider, int Batch, int DecodeThreads, int Tiles, double TilesPerSecond, double PatchesPerSecond,
    double InferenceShare, long? GpuMemoryUsedMiB);

/// <summary>Largest |CUDA − CPU| reading over the real tiles, per tile (median µm) and per patch.</summary>
/// <summary>CUDA against CPU; the interval ends only for a model with a scale output (null otherwise).</summary>
internal sealed record AgreementRow(int Tiles, int Patches, double MaxTileDifferenceMicrons, double MaxPatchDifferenceMicrons, int VerdictsDiffering,
    double? MaxPatchIntervalDifferenceMicrons = null);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GpuCheckReport))]
internal sealed partial class GpuCheckJson : JsonSerializerContext;
