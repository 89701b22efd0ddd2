namespace FocusFunctions.Core.Inference;

public static class FocusModelExtensions
{
    /// <summary>Floats in one patch of this model's input: 3 × P × P.</summary>
    public static int PatchLength(this IFocusModel model) => 3 * model.Card.PatchSize * model.Card.PatchSize;

    /// <summary>Scores patches already laid out as float32 [count, 3, P, P] (tests, benchmarks, gpu-check).</summary>
    public static void Predict(this IFocusModel model, ReadOnlyMemory<float> patches, int count, Span<float> defocusMicrons)
    {
        int patchLength = model.PatchLength();
        if (patches.Length < count * patchLength)
        {
            throw new ArgumentException($"Expected {count} patches of {patchLength} floats, got {patches.Length} floats.", nameof(patches));
        }

        model.Predict(count, (i, destination) => patches.Span.Slice(i * patchLength, patchLength).CopyTo(destination), defocusMicrons);
    }

    /// <summary>All <paramref name="count"/> patches of a writer in one array, for models that read them as a whole (test doubles).</summary>
    public static float[] Gather(this IFocusModel model, int count, PatchWriter writePatch)
    {
        int patchLength = model.PatchLength();
        var patches = new float[count * patchLength];
        PatchBatch.Fill(writePatch, 0, count, patchLength, () => patches);
        return patches;
    }
}
