using BenchmarkDotNet.Attributes;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Benchmarks;

/// <summary>
/// Per 1024×1024 tile sampled finer than the model (0.227 µm/px, OS-1): the decode is the same size as in
/// <see cref="TileBenchmarks"/>, but the tile holds about a fifth of the tissue area, so it becomes 2×2 patches instead of 4×4.
/// How much of a tile inference costs depends on the scanner's sampling; this class measures the fine end.
/// </summary>
[MemoryDiagnoser]
public class FineTileBenchmarks
{
    private OnnxFocusModel _model = null!;
    private TileScorer _scorer = null!;
    private RgbImage _decoded = null!;
    private PreparedTile _prepared = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_model, _scorer) = BenchmarkInputs.ProductDefault(BenchmarkInputs.ShippedModel);
        _decoded = BenchmarkInputs.Decode(BenchmarkInputs.FineTilePng);
        _prepared = _scorer.Prepare(_decoded, BenchmarkInputs.FineTileMicronsPerPixel);
        if (_prepared.ScoredPatches.Length != 4)
        {
            throw new InvalidOperationException($"Expected the fine tile to give 4 tissue patches, got {_prepared.ScoredPatches.Length}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public RgbImage DecodePng() => BenchmarkInputs.Decode(BenchmarkInputs.FineTilePng);

    [Benchmark]
    public RgbImage DecodeJpeg() => BenchmarkInputs.Decode(BenchmarkInputs.FineTileJpeg);

    /// <summary>Resample 1024 → 465 px (0.227 → 0.5 µm/px), patch grid, tissue mask and tensor layout.</summary>
    [Benchmark]
    public PreparedTile Preprocess() => _scorer.Prepare(_decoded, BenchmarkInputs.FineTileMicronsPerPixel);

    /// <summary>The tile's four tissue patches (prepared once) through the shipped model, one patch per run, and the verdict.</summary>
    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnly() => _scorer.ScorePrepared([_prepared]);

    [Benchmark]
    public TileScore EndToEndPng() =>
        _scorer.Score(new MemoryStream(BenchmarkInputs.FineTilePng), BenchmarkInputs.FineTileMicronsPerPixel);

    [Benchmark]
    public TileScore EndToEndJpeg() =>
        _scorer.Score(new MemoryStream(BenchmarkInputs.FineTileJpeg), BenchmarkInputs.FineTileMicronsPerPixel);
}
