using BenchmarkDotNet.Attributes;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Benchmarks;

/// <summary>
/// The GPU worker's scoring path on the CPU: decode and prepare N tiles, then one model call for all their patches.
/// Times are per tile (OperationsPerInvoke), ONNX Runtime on all cores as the worker runs it.
/// </summary>
[MemoryDiagnoser]
public class WorkerBatchBenchmarks
{
    private OnnxFocusModel _model = null!;
    private TileScorer _scorer = null!;

    [Params(1, 4, 16)]
    public int TilesPerBatch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = BenchmarkInputs.LoadModel(BenchmarkInputs.ShippedModel, threads: 0, maxBatch: 256);
        _scorer = BenchmarkInputs.Scorer(_model);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public IReadOnlyList<TileScore> ScoreBatch()
    {
        var tiles = new PreparedTile[TilesPerBatch];
        for (int i = 0; i < tiles.Length; i++)
        {
            tiles[i] = _scorer.Prepare(new MemoryStream(BenchmarkInputs.TileJpeg));
        }

        return _scorer.ScorePrepared(tiles);
    }
}
