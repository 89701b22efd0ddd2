namespace FocusFunctions.Core.Inference;

/// <summary>
/// A defocus regressor under the model contract: RGB/255 patches in, absolute defocus in µm out, and optionally the
/// scale of the model's uncertainty about it (docs/scoring.md, "Indeterminate").
/// </summary>
public interface IFocusModel
{
    ModelCard Card { get; }

    /// <summary>Which engine runs the model (for logs and results), e.g. "CPU" or "CUDA".</summary>
    string Provider { get; }

    /// <summary>Largest number of patches the model takes in one run (Scoring:MaxBatchSize for the ONNX model).</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// True when the model has the optional second output (the card's <see cref="ModelCard.ScaleOutputName"/>): per
    /// patch, the scale b (µm) of a Laplace distribution centred on its defocus. Without it the model never says
    /// Indeterminate.
    /// </summary>
    bool PredictsScale { get; }

    /// <summary>
    /// Scores <paramref name="count"/> patches, each written by <paramref name="writePatch"/> straight into the model's
    /// input buffer (so no tile ever holds all its patches as floats at once); writes one defocus value (µm) per patch
    /// into <paramref name="defocusMicrons"/> and, from the same runs, one scale (µm, &gt; 0) per patch into
    /// <paramref name="defocusScaleMicrons"/>. Pass an empty span for the scale when it is not wanted or
    /// <see cref="PredictsScale"/> is false (it is then left alone). Thread-safe. Patches already in one array, or no
    /// scale wanted: <see cref="FocusModelExtensions"/>.
    /// </summary>
    void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons, Span<float> defocusScaleMicrons);
}
