namespace FocusFunctions.Core.Inference;

/// <summary>A defocus regressor under the model contract: RGB/255 patches in, absolute defocus in µm out.</summary>
public interface IFocusModel
{
    ModelCard Card { get; }

    /// <summary>Which engine runs the model (for logs and results), e.g. "CPU" or "CUDA".</summary>
    string Provider { get; }

    /// <summary>Largest number of patches the model takes in one run (Scoring:MaxBatchSize for the ONNX model).</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Scores <paramref name="count"/> patches laid out as float32 [count, 3, P, P] in <paramref name="patches"/>;
    /// writes one defocus value (µm) per patch into <paramref name="defocusMicrons"/>. Thread-safe.
    /// </summary>
    void Predict(ReadOnlyMemory<float> patches, int count, Span<float> defocusMicrons);
}
