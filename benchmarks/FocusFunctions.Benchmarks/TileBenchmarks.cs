using BenchmarkDotNet.Attributes;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Benchmarks;

/// <summary>Per 1024×1024 tile: decode only, preprocessing only, and the whole path, on one thread.</summary>
[MemoryDiagnoser]
public class TileBenchmarks
{
    private OnnxFocusModel _model = null!;
    private TileScorer _scorer = null!;
    private OnnxFocusModel _focusNetV2 = null!;
    private TileScorer _focusNetV2Scorer = null!;
    private OnnxFocusModel _modelBatched = null!;
    private OnnxFocusModel _focusNetV2BatchedModel = null!;
    private TileScorer _batched = null!;
    private TileScorer _focusNetV2Batched = null!;
    private RgbImage _decoded = null!;
    private PreparedTile _prepared = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The product's CPU default (OnnxModelOptions.MaxBatchSize = 1: one patch per ONNX Runtime run).
        (_model, _scorer) = BenchmarkInputs.ProductDefault(BenchmarkInputs.ShippedModel);
        _decoded = BenchmarkInputs.Decode(BenchmarkInputs.TilePng);
        _prepared = _scorer.Prepare(_decoded);
        (_focusNetV2, _focusNetV2Scorer) = BenchmarkInputs.ProductDefault(BenchmarkInputs.FocusNetV2Model);
        // The model's own MaxBatchSize sets how many patches go into one ONNX Runtime run: 16 = the old default.
        _modelBatched = BenchmarkInputs.LoadModel(BenchmarkInputs.ShippedModel, threads: 1, maxBatch: 16);
        _focusNetV2BatchedModel = BenchmarkInputs.LoadModel(BenchmarkInputs.FocusNetV2Model, threads: 1, maxBatch: 16);
        _batched = BenchmarkInputs.Scorer(_modelBatched);
        _focusNetV2Batched = BenchmarkInputs.Scorer(_focusNetV2BatchedModel);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _focusNetV2.Dispose();
        _modelBatched.Dispose();
        _focusNetV2BatchedModel.Dispose();
    }

    [Benchmark]
    public RgbImage DecodePng() => BenchmarkInputs.Decode(BenchmarkInputs.TilePng);

    [Benchmark]
    public RgbImage DecodeJpeg() => BenchmarkInputs.Decode(BenchmarkInputs.TileJpeg);

    /// <summary>Resample (identity here), patch grid, tissue mask and tensor layout.</summary>
    [Benchmark]
    public PreparedTile Preprocess() => _scorer.Prepare(_decoded);

    /// <summary>The tissue mask alone (part of Preprocess), vectorised where the CPU allows, as the pipeline runs it.</summary>
    [Benchmark]
    public TissueMap TissueMask() => TissueDetector.Map(_decoded);

    /// <summary>The tile's tissue patches (prepared once) through the model, and the verdict: the inference share of a tile.</summary>
    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnly() => _scorer.ScorePrepared([_prepared]);

    /// <summary>The same tissue patches through the unshipped focusnet_v2 architecture (random weights, same cost).</summary>
    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnlyFocusNetV2() => _focusNetV2Scorer.ScorePrepared([_prepared]);

    /// <summary>As InferenceOnly, with MaxBatchSize 16: all 12 patches in one model run (on one thread a batch leaves the cache).</summary>
    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnlyBatchOf16() => _batched.ScorePrepared([_prepared]);

    [Benchmark]
    public IReadOnlyList<TileScore> InferenceOnlyFocusNetV2BatchOf16() => _focusNetV2Batched.ScorePrepared([_prepared]);

    [Benchmark]
    public TileScore EndToEndPng() => _scorer.Score(new MemoryStream(BenchmarkInputs.TilePng));

    [Benchmark]
    public TileScore EndToEndJpeg() => _scorer.Score(new MemoryStream(BenchmarkInputs.TileJpeg));
}
