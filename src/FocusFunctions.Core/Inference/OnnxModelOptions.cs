using System.ComponentModel.DataAnnotations;

namespace FocusFunctions.Core.Inference;

/// <summary>Which model to load and how to run it. Bound from the "Scoring" configuration section (its historic name).</summary>
public sealed class OnnxModelOptions
{
    public const string SectionName = "Scoring";

    /// <summary>ONNX model under the project's model contract; its card (same name, .json) sits beside it. Resolved by <see cref="ModelFiles.Resolve"/>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ModelPath { get; set; } = ModelFiles.DefaultModelPath;

    /// <summary>Model card path; defaults to the model path with a .json extension.</summary>
    public string? ModelCardPath { get; set; }

    /// <summary>ONNX Runtime intra-op threads per run; 0 lets ONNX Runtime choose.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    public InferenceProvider ExecutionProvider { get; set; } = InferenceProvider.Cpu;

    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>
    /// How cuDNN picks convolution algorithms for each new batch shape. ONNX Runtime's own default, Exhaustive, times
    /// every algorithm per shape; the worker's batches end in a partial run of a new size again and again, and on an
    /// H200 that held end-to-end throughput at 19–31 tiles/s against 28–50 with Heuristic (docs/performance.md).
    /// </summary>
    public CudnnAlgorithmSearch CudnnConvAlgoSearch { get; set; } = CudnnAlgorithmSearch.Heuristic;

    /// <summary>
    /// Largest number of patches sent to the model in one run. 1 suits a CPU: one patch's activations stay in cache,
    /// and a batch of 12–16 cost about 10–55 % more per patch in every benchmark run (docs/performance.md). The GPU worker
    /// sets 256, where one large run replaces many small ones.
    /// </summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 1;
}

public enum InferenceProvider
{
    Cpu,
    Cuda,
}

/// <summary>ONNX Runtime's CUDA provider option cudnn_conv_algo_search.</summary>
public enum CudnnAlgorithmSearch
{
    Exhaustive,
    Heuristic,
    Default,
}
