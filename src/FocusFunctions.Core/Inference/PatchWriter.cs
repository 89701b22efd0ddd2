namespace FocusFunctions.Core.Inference;

/// <summary>
/// Writes patch <paramref name="index"/> as float32 [3, P, P], RGB/255, into <paramref name="destination"/>, which is
/// the model's own input buffer (page-locked on a GPU). Called from several threads at once for different indices.
/// </summary>
public delegate void PatchWriter(int index, Span<float> destination);

/// <summary>How a model fills one run's input from a <see cref="PatchWriter"/>.</summary>
internal static class PatchBatch
{
    // Below this many patches a run's input is written on the calling thread: fanning out costs more than it saves.
    private const int ParallelFrom = 8;

    internal delegate Span<float> Buffer();

    /// <summary>Patches start … start+count−1 into one run's input, in parallel when there are enough of them.</summary>
    public static void Fill(PatchWriter writePatch, int start, int count, int patchLength, Buffer buffer)
    {
        if (count < ParallelFrom)
        {
            var span = buffer();
            for (int i = 0; i < count; i++)
            {
                writePatch(start + i, span.Slice(i * patchLength, patchLength));
            }

            return;
        }

        try
        {
            Parallel.For(0, count, i => writePatch(start + i, buffer().Slice(i * patchLength, patchLength)));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            // The writer's own fault, as the serial path throws it.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
    }
}
