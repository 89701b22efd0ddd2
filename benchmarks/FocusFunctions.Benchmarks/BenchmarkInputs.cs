using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.Benchmarks;

/// <summary>
/// Shared inputs: real 1024×1024 H&amp;E tiles from ../shared (CMU-1 at ≈0.5 µm/px, the model's pixel size; OS-1 at
/// 0.227 µm/px, a 40x-class sampling like the reference's Zeiss scanner at 20x/0.8) and the models.
/// </summary>
public static class BenchmarkInputs
{
    public const int TileSize = 1024;

    private static readonly DecodeLimits GenerousLimits = new(1 << 28, 1 << 28, TiffPageSelection.First);

    public static string Root { get; } = FindRoot();

    public static string ShippedModel => Path.Combine(Root, "models", "focus-model.onnx");

    /// <summary>focusnet 1.1.0, the point-only model shipped before 1.2.0 added the scale output (kept for rollback).</summary>
    public static string PreviousModel => Path.Combine(Root, "models", "previous", "focus-model-1.1.0", "focus-model.onnx");

    /// <summary>The reference architecture (InceptionV3 + six FC) exported by training/export.py; see scripts/benchmark.sh.</summary>
    public static string ReferenceModel =>
        Environment.GetEnvironmentVariable("FOCUS_REFERENCE_MODEL") ?? Path.Combine(Root, "artifacts", "inception_v3.onnx");

    /// <summary>
    /// The focusnet_v2 architecture (training/models.py), exported with random weights by scripts/benchmark.sh:
    /// its cost does not depend on the weights. Not shipped (see docs/model.md); measured to size the trade-off.
    /// </summary>
    public static string FocusNetV2Model =>
        Environment.GetEnvironmentVariable("FOCUS_FOCUSNET_V2_MODEL") ?? Path.Combine(Root, "artifacts", "focusnet_v2.onnx");

    /// <summary>
    /// A graph-only variant of focusnet 1.1.0 (<see cref="PreviousModel"/>) written by training/graph_variants.py (see scripts/benchmark.sh);
    /// <paramref name="suffix"/> is div-folded, affine-normalisation, int8 or int8-pointwise.
    /// </summary>
    public static string GraphVariant(string suffix)
    {
        var folder = Environment.GetEnvironmentVariable("FOCUS_GRAPH_VARIANTS") ?? Path.Combine(Root, "artifacts", "graph-variants");
        var path = Path.Combine(folder, $"focus-model-{suffix}.onnx");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run scripts/benchmark.sh (it writes the variants with training/graph_variants.py).", path);
    }

    /// <summary>µm/px of the fine tile (OpenSlide OS-1, from ../shared/data/histology/manifest.json).</summary>
    public const double FineTileMicronsPerPixel = 0.227;

    public static byte[] TilePng { get; } = Encode(CoarseTileCrop, new PngEncoder());

    public static byte[] TileJpeg { get; } = Encode(CoarseTileCrop, new JpegEncoder { Quality = 90 });

    /// <summary>1024×1024 of OS-1 at 0.227 µm/px: resampled to the model's 0.5 µm/px it is 465×465, a 2×2 patch grid.</summary>
    public static byte[] FineTilePng { get; } = Encode(FineTileCrop, new PngEncoder());

    public static byte[] FineTileJpeg { get; } = Encode(FineTileCrop, new JpegEncoder { Quality = 90 });

    private static (string File, Rectangle Crop) CoarseTileCrop =>
        ("cmu1-small-region-he-skin.png", new Rectangle(600, 1200, TileSize, TileSize));

    private static (string File, Rectangle Crop) FineTileCrop =>
        ("openslide-os1-detail-he.png", new Rectangle(38, 38, TileSize, TileSize));

    /// <summary>Decodes a benchmark tile with limits far above its size (the limits are not what is measured).</summary>
    public static RgbImage Decode(byte[] encoded) => TileDecoder.Decode(encoded, GenerousLimits).Image;

    public static OnnxFocusModel LoadModel(string path, int threads, int maxBatch)
    {
        var options = new OnnxModelOptions { ModelPath = path, IntraOpThreads = threads, MaxBatchSize = maxBatch };
        var card = File.Exists(ModelCard.PathFor(path))
            ? null
            : new ModelCard { Name = Path.GetFileNameWithoutExtension(path), Version = "reference", MicronsPerPixel = 0.5, PatchSize = 320 };
        return new OnnxFocusModel(options, NullLogger.Instance, card);
    }

    /// <summary>A model and its scorer as the product runs them on a CPU: one thread, the default MaxBatchSize.</summary>
    public static (OnnxFocusModel Model, TileScorer Scorer) ProductDefault(string modelPath)
    {
        int batch = new OnnxModelOptions().MaxBatchSize;
        var model = LoadModel(modelPath, threads: 1, maxBatch: batch);
        return (model, Scorer(model));
    }

    /// <summary>A scorer with the product's defaults; the model's own MaxBatchSize sets how patches are batched.</summary>
    public static TileScorer Scorer(IFocusModel model) =>
        new(model, Options.Create(new ScoringOptions()), Options.Create(new DecodeOptions()), NullLogger<TileScorer>.Instance);

    /// <summary>A batch of real patches (from the tile) as the model's input tensor.</summary>
    public static float[] Patches(int count)
    {
        var image = Decode(TilePng);
        var regions = PatchLayout.Cover(image.Width, image.Height, 320);
        int length = 3 * 320 * 320;
        var tensor = new float[count * length];
        for (int i = 0; i < count; i++)
        {
            PatchTensor.Write(image, regions[i % regions.Count], 320, tensor.AsSpan(i * length, length));
        }

        return tensor;
    }

    private static byte[] Encode((string File, Rectangle Crop) tile, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var source = Image.Load<Rgb24>(Path.Combine(Root, "..", "shared", "data", "histology", tile.File));
        source.Mutate(x => x.Crop(tile.Crop));
        using var stream = new MemoryStream();
        source.Save(stream, encoder);
        return stream.ToArray();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FocusFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        // BenchmarkDotNet runs from a generated folder below bin/; the working directory is the fallback.
        return Directory.GetCurrentDirectory();
    }
}
