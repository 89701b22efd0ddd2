namespace FocusFunctions.Core.Tests.Support;

/// <summary>A model double that answers a fixed defocus per patch and records how it was called.</summary>
public sealed class FakeFocusModel(Func<int, float> defocusForPatch, int patchSize = 320, int maxBatchSize = 1) : IFocusModel
{
    public ModelCard Card { get; } = new() { Name = "fake", Version = "0", MicronsPerPixel = 0.5, PatchSize = patchSize };

    public string Provider => "fake";

    public int MaxBatchSize => maxBatchSize;

    public List<int> BatchSizes { get; } = [];

    /// <summary>The count of each call (the model's own runs are its business: OnnxFocusModel's tests check those).</summary>
    public void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons)
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
        }
    }
}
