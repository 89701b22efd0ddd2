using System.ComponentModel.DataAnnotations;

namespace FocusFunctions.Core.Scoring;

/// <summary>How tiles are decoded, scored and judged. Bound from the "Scoring" configuration section.</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>ONNX model under the project's model contract; its card (same name, .json) sits beside it.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ModelPath { get; set; } = "models/focus-model.onnx";

    /// <summary>Model card path; defaults to the model path with a .json extension.</summary>
    public string? ModelCardPath { get; set; }

    /// <summary>Tiles whose robust defocus exceeds this are OutOfFocus.</summary>
    [Range(0.01, 100.0)]
    public double RejectAboveMicrons { get; set; } = 2.0;

    /// <summary>A patch is scored only when at least this share of its pixels is tissue.</summary>
    [Range(0.0, 1.0)]
    public double MinPatchTissueFraction { get; set; } = 0.5;

    /// <summary>A tile with less tissue than this (share of all its pixels) is NoTissue.</summary>
    [Range(0.0, 1.0)]
    public double MinTileTissueFraction { get; set; } = 0.02;

    /// <summary>Pixel size of incoming tiles; null means "already at the model's pixel size".</summary>
    [Range(0.01, 100.0)]
    public double? InputMicronsPerPixel { get; set; }

    /// <summary>ONNX Runtime intra-op threads per run; 0 lets ONNX Runtime choose.</summary>
    [Range(0, 256)]
    public int IntraOpThreads { get; set; } = 1;

    public InferenceProvider ExecutionProvider { get; set; } = InferenceProvider.Cpu;

    [Range(0, 64)]
    public int CudaDeviceId { get; set; }

    /// <summary>
    /// How cuDNN picks convolution algorithms for each new batch shape. ONNX Runtime's own default, Exhaustive, times
    /// every algorithm per shape; the worker's batches end in a partial run of a new size again and again, and on an
    /// H200 those searches held end-to-end throughput at 25–35 tiles/s (docs/performance.md).
    /// </summary>
    public CudnnAlgorithmSearch CudnnConvAlgoSearch { get; set; } = CudnnAlgorithmSearch.Heuristic;

    /// <summary>
    /// Largest number of patches sent to the model in one run. 1 suits a CPU: one patch's activations stay in cache,
    /// and a batch of 12–16 cost about 10–55 % more per patch in every benchmark run (docs/performance.md). The GPU worker
    /// sets 64, where one large run replaces many small ones.
    /// </summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 1;

    /// <summary>Inputs larger than this are refused before decoding.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Headers announcing more pixels than this are refused before decoding (decompression bombs).</summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputPixels { get; set; } = 100_000_000;

    /// <summary>Multi-page TIFF: the first page, or the sharpest by standard deviation (a z-stack).</summary>
    public TiffPageSelection TiffPage { get; set; } = TiffPageSelection.First;
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

public enum TiffPageSelection
{
    First,
    Sharpest,
}
