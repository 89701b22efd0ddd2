namespace FocusFunctions.Core.Inference;

public static class FocusModelExtensions
{
    /// <summary>Floats in one patch of this model's input: 3 × P × P.</summary>
    public static int PatchLength(this IFocusModel model) => 3 * model.Card.PatchSize * model.Card.PatchSize;

    /// <summary>Scores patches already laid out as float32 [count, 3, P, P] (tests, benchmarks, gpu-check).</summary>
    public static void Predict(this IFocusModel model, ReadOnlyMemory<float> patches, int count, Span<float> defocusMicrons) =>
        model.Predict(patches, count, defocusMicrons, Span<float>.Empty);

    /// <summary>As above, with the scale where the model predicts one (an empty span for none).</summary>
    public static void Predict(this IFocusModel model, ReadOnlyMemory<float> patches, int count, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
    {
        int patchLength = model.PatchLength();
        if (patches.Length < count * patchLength)
        {
            throw new ArgumentException($"Expected {count} patches of {patchLength} floats, got {patches.Length} floats.", nameof(patches));
        }

        model.Predict(count, (i, destination) => patches.Span.Slice(i * patchLength, patchLength).CopyTo(destination), defocusMicrons, defocusScaleMicrons);
    }

    /// <summary>Defocus only: the scale, where the model predicts one, is not asked for.</summary>
    public static void Predict(this IFocusModel model, int count, PatchWriter writePatch, Span<float> defocusMicrons) =>
        model.Predict(count, writePatch, defocusMicrons, Span<float>.Empty);

    /// <summary>
    /// Room for the scale of <paramref name="count"/> patches when <paramref name="model"/> predicts one, else an empty
    /// array (what <see cref="IFocusModel.Predict"/> takes for "no scale").
    /// </summary>
    public static float[] ScaleBuffer(this IFocusModel model, int count) => model.PredictsScale ? new float[count] : [];

    /// <summary>All <paramref name="count"/> patches of a writer in one array, for models that read them as a whole (test doubles).</summary>
    public static float[] Gather(this IFocusModel model, int count, PatchWriter writePatch)
    {
        int patchLength = model.PatchLength();
        var patches = new float[count * patchLength];
        PatchBatch.Fill(writePatch, 0, count, patchLength, () => patches);
        return patches;
    }
}
