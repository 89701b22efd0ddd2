using BenchmarkDotNet.Attributes;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Benchmarks;

/// <summary>Per 1024×1024 tile: decode only, preprocessing only, and the whole path, on one thread.</summary>
[MemoryDiagnoser]
public class TileBenchmarks
{
    private static readonly DecodeLimits Limits = new(1 << 28, 1 << 28, TiffPageSelection.First);
    private OnnxFocusModel _model = null!;
    private TileScorer _scorer = null!;
    private RgbImage _decoded = null!;
    private PreparedTile _prepared = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchmarkInputs.LoadModel(BenchmarkInputs.ShippedModel, threads: 1, maxBatch: 16);
        _scorer = BenchmarkInputs.Scorer(_model);
        _decoded = TileDecoder.Decode(BenchmarkInputs.TilePng, Limits).Image;
        _prepared = _scorer.Prepare(_decoded);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public RgbImage DecodePng() => TileDecoder.Decode(BenchmarkInputs.TilePng, Limits).Image;

    [Benchmark]
    public RgbImage DecodeJpeg() => TileDecoder.Decode(BenchmarkInputs.TileJpeg, Limits).Image;

    /// <summary>Resample (identity here), patch grid, tissue mask and tensor layout.</summary>
    [Benchmark]
    public PreparedTile Preprocess() => _scorer.Prepare(_decoded);

    /// <summary>The tile's tissue patches (prepared once) through the model, and the verdict: the inference share of a tile.</summary>
    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnly() => _scorer.ScorePrepared([_prepared]);

    [Benchmark]
    public TileScore EndToEndPng() => _scorer.Score(new MemoryStream(BenchmarkInputs.TilePng));

    [Benchmark]
    public TileScore EndToEndJpeg() => _scorer.Score(new MemoryStream(BenchmarkInputs.TileJpeg));
}
