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
    /// Largest number of patches sent to the model in one run. 1 suits a CPU: one patch's activations stay in cache,
    /// and a batch of 12–16 cost about 10–55 % more per patch in every benchmark run (docs/performance.md). The GPU worker
    /// sets 64, where one large run replaces many small ones.
    /// </summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 1;
}

public enum InferenceProvider
{
    Cpu,
    Cuda,
}
