using BenchmarkDotNet.Attributes;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Benchmarks;

/// <summary>
/// Issue 24: what scoring one file of each input class costs end to end (decode, preparation, the shipped model on
/// one thread), managed allocations by the MemoryDiagnoser. ImageSharp's pixel buffers are unmanaged and do not
/// show here: the peak resident memory of a `focus score` process per class (scripts/benchmark.sh) is the other half.
/// </summary>
[MemoryDiagnoser]
public class HostileInputBenchmarks
{
    private OnnxFocusModel _model = null!;
    private TileScorer _scorer = null!;
    private byte[] _input = null!;

    [ParamsSource(nameof(InputClasses))]
    public string Input { get; set; } = "";

    public static IEnumerable<string> InputClasses => HostileInputs.Names;

    [GlobalSetup]
    public void Setup()
    {
        (_model, _scorer) = BenchmarkInputs.ProductDefault(BenchmarkInputs.ShippedModel);
        _input = HostileInputs.Create(Input);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public FocusVerdict Score() => _scorer.Score(new MemoryStream(_input)).Verdict;
}
