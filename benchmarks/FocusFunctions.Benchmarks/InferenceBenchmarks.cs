using BenchmarkDotNet.Attributes;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Benchmarks;

/// <summary>
/// Model cost per 320×320 patch on one CPU thread, shipped model against focusnet 1.1.0 and the reference
/// architecture (InceptionV3 + six fully connected layers) in the same run. Times are per patch (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private const int Batched = 16;
    private OnnxFocusModel _shipped = null!;
    private OnnxFocusModel _reference = null!;
    private OnnxFocusModel _focusNetV2 = null!;
    private OnnxFocusModel _previous = null!;
    private float[] _one = null!;
    private float[] _batch = null!;
    private readonly float[] _results = new float[Batched];
    private readonly float[] _scales = new float[Batched];

    [GlobalSetup]
    public void Setup()
    {
        _shipped = BenchmarkInputs.LoadModel(BenchmarkInputs.ShippedModel, threads: 1, maxBatch: Batched);
        _reference = BenchmarkInputs.LoadModel(BenchmarkInputs.ReferenceModel, threads: 1, maxBatch: Batched);
        _focusNetV2 = BenchmarkInputs.LoadModel(BenchmarkInputs.FocusNetV2Model, threads: 1, maxBatch: Batched);
        _previous = BenchmarkInputs.LoadModel(BenchmarkInputs.PreviousModel, threads: 1, maxBatch: Batched);
        _one = BenchmarkInputs.Patches(1);
        _batch = BenchmarkInputs.Patches(Batched);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _shipped.Dispose();
        _reference.Dispose();
        _focusNetV2.Dispose();
        _previous.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void ShippedSinglePatch() => _shipped.Predict(_one, 1, _results);

    /// <summary>What the engine runs with a scale-output model: both outputs from the same run.</summary>
    [Benchmark]
    public void ShippedSinglePatchWithScale() => _shipped.Predict(_one, 1, _results.AsSpan(0, 1), _scales.AsSpan(0, _shipped.PredictsScale ? 1 : 0));

    /// <summary>focusnet 1.1.0 (point only): issue 25's cost goal is at most 1.2 times its time per patch.</summary>
    [Benchmark]
    public void Previous110SinglePatch() => _previous.Predict(_one, 1, _results);

    [Benchmark(OperationsPerInvoke = Batched)]
    public void ShippedBatchOf16() => _shipped.Predict(_batch, Batched, _results);

    [Benchmark]
    public void FocusNetV2SinglePatch() => _focusNetV2.Predict(_one, 1, _results);

    [Benchmark]
    public void ReferenceInceptionSinglePatch() => _reference.Predict(_one, 1, _results);
}
