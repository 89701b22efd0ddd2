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
    /// Scores <paramref name="count"/> patches, each written by <paramref name="writePatch"/> straight into the model's
    /// input buffer (so no tile ever holds all its patches as floats at once); writes one defocus value (µm) per patch
    /// into <paramref name="defocusMicrons"/>. Thread-safe. Patches already in one array: <see cref="FocusModelExtensions.Predict"/>.
    /// </summary>
    void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons);
}
