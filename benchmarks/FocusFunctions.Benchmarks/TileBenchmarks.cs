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
    private OnnxFocusModel _focusNetV2 = null!;
    private TileScorer _focusNetV2Scorer = null!;
    private OnnxFocusModel _modelOnePatchPerRun = null!;
    private OnnxFocusModel _focusNetV2OnePatchPerRunModel = null!;
    private TileScorer _onePatchPerRun = null!;
    private TileScorer _focusNetV2OnePatchPerRun = null!;
    private RgbImage _decoded = null!;
    private PreparedTile _prepared = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchmarkInputs.LoadModel(BenchmarkInputs.ShippedModel, threads: 1, maxBatch: 16);
        _scorer = BenchmarkInputs.Scorer(_model);
        _decoded = TileDecoder.Decode(BenchmarkInputs.TilePng, Limits).Image;
        _prepared = _scorer.Prepare(_decoded);
        _focusNetV2 = BenchmarkInputs.LoadModel(BenchmarkInputs.FocusNetV2Model, threads: 1, maxBatch: 16);
        _focusNetV2Scorer = BenchmarkInputs.Scorer(_focusNetV2);
        // The model's own MaxBatchSize sets how many patches go into one ONNX Runtime run.
        _modelOnePatchPerRun = BenchmarkInputs.LoadModel(BenchmarkInputs.ShippedModel, threads: 1, maxBatch: 1);
        _focusNetV2OnePatchPerRunModel = BenchmarkInputs.LoadModel(BenchmarkInputs.FocusNetV2Model, threads: 1, maxBatch: 1);
        _onePatchPerRun = BenchmarkInputs.Scorer(_modelOnePatchPerRun, maxBatch: 1);
        _focusNetV2OnePatchPerRun = BenchmarkInputs.Scorer(_focusNetV2OnePatchPerRunModel, maxBatch: 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _focusNetV2.Dispose();
        _modelOnePatchPerRun.Dispose();
        _focusNetV2OnePatchPerRunModel.Dispose();
    }

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

    /// <summary>The same tissue patches through the unshipped focusnet_v2 architecture (random weights, same cost).</summary>
    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnlyFocusNetV2() => _focusNetV2Scorer.ScorePrepared([_prepared]);

    /// <summary>As InferenceOnly, with MaxBatchSize 1: one model run per patch (on one thread a batch can leave the cache).</summary>
    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnlyOnePatchPerRun() => _onePatchPerRun.ScorePrepared([_prepared]);

    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnlyFocusNetV2OnePatchPerRun() => _focusNetV2OnePatchPerRun.ScorePrepared([_prepared]);

    [Benchmark]
    public TileScore EndToEndPng() => _scorer.Score(new MemoryStream(BenchmarkInputs.TilePng));

    [Benchmark]
    public TileScore EndToEndJpeg() => _scorer.Score(new MemoryStream(BenchmarkInputs.TileJpeg));
}
