namespace FocusFunctions.Core.Tests.Support;

/// <summary>A model double that answers a fixed defocus per patch and records how it was called.</summary>
/// <remarks>With <paramref name="scaleForPatch"/> it also predicts a scale, as a model with the contract's second output does.</remarks>
public sealed class FakeFocusModel(Func<int, float> defocusForPatch, int patchSize = 320, int maxBatchSize = 1, Func<int, float>? scaleForPatch = null,
    double? intervalLevel = null) : IFocusModel
{
    public ModelCard Card { get; } = new()
    {
        Name = "fake",
        Version = "0",
        MicronsPerPixel = 0.5,
        PatchSize = patchSize,
        ScaleOutputName = scaleForPatch is null ? null : "defocus_scale_um",
        Uncertainty = intervalLevel is null ? null : new UncertaintyCard { Distribution = "laplace", IntervalLevel = intervalLevel },
    };

    public bool PredictsScale => scaleForPatch is not null;

    public string Provider => "fake";

    public int MaxBatchSize => maxBatchSize;

    public List<int> BatchSizes { get; } = [];

    /// <summary>The count of each call (the model's own runs are its business: OnnxFocusModel's tests check those).</summary>
    public void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
    {
        var patch = new float[this.PatchLength()];
        for (int i = 0; i < count; i++)
        {
            writePatch(i, patch);
        }

        BatchSizes.Add(count);
        for (int i = 0; i < count; i++)
        {
            defocusMicrons[i] = defocusForPatch(i);
            if (scaleForPatch is not null && !defocusScaleMicrons.IsEmpty)
            {
                defocusScaleMicrons[i] = scaleForPatch(i);
            }
        }
    }
}
