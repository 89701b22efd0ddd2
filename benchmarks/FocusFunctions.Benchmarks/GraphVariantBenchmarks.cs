using BenchmarkDotNet.Attributes;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Benchmarks;

/// <summary>
/// What graph changes alone buy: the shipped model against its variants from training/graph_variants.py (the
/// normalisation's division folded into the stem; Sub and Div as one per-channel affine node; static int8, all
/// convolutions and additions or the 1×1 convolutions only), one real patch per run on one CPU thread, in one run.
/// scripts/benchmark.sh writes the variants first.
/// </summary>
[MemoryDiagnoser]
public class GraphVariantBenchmarks
{
    private readonly float[] _results = new float[1];
    private OnnxFocusModel _shipped = null!;
    private OnnxFocusModel _divisionFolded = null!;
    private OnnxFocusModel _affineNormalisation = null!;
    private OnnxFocusModel _int8 = null!;
    private OnnxFocusModel _int8Pointwise = null!;
    private float[] _patch = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The variants are of 1.1.0's point-only graph (scripts/benchmark.sh): compared with that graph as it is.
        _shipped = BenchmarkInputs.LoadModel(BenchmarkInputs.PreviousModel, threads: 1, maxBatch: 1);
        _divisionFolded = BenchmarkInputs.LoadModel(BenchmarkInputs.GraphVariant("div-folded"), threads: 1, maxBatch: 1);
        _affineNormalisation = BenchmarkInputs.LoadModel(BenchmarkInputs.GraphVariant("affine-normalisation"), threads: 1, maxBatch: 1);
        _int8 = BenchmarkInputs.LoadModel(BenchmarkInputs.GraphVariant("int8"), threads: 1, maxBatch: 1);
        _int8Pointwise = BenchmarkInputs.LoadModel(BenchmarkInputs.GraphVariant("int8-pointwise"), threads: 1, maxBatch: 1);
        _patch = BenchmarkInputs.Patches(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _shipped.Dispose();
        _divisionFolded.Dispose();
        _affineNormalisation.Dispose();
        _int8.Dispose();
        _int8Pointwise.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Shipped() => _shipped.Predict(_patch, 1, _results);

    [Benchmark]
    public void DivisionFolded() => _divisionFolded.Predict(_patch, 1, _results);

    [Benchmark]
    public void AffineNormalisation() => _affineNormalisation.Predict(_patch, 1, _results);

    [Benchmark]
    public void Int8() => _int8.Predict(_patch, 1, _results);

    [Benchmark]
    public void Int8PointwiseOnly() => _int8Pointwise.Predict(_patch, 1, _results);
}
