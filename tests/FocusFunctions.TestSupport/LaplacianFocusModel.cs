using FocusFunctions.Core.Inference;

namespace FocusFunctions.TestSupport;

/// <summary>
/// A stand-in for the trained model (it lands later): pseudo-defocus from the energy of the grey-level Laplacian, which
/// falls by orders of magnitude as a patch blurs. Calibrated on the shared H&amp;E tiles: sharp patches give about 0-0.5,
/// a Gaussian blur of sigma 4 px gives about 3. Counts its calls so that tests can check batching.
/// </summary>
public sealed class LaplacianFocusModel : IFocusModel
{
    public LaplacianFocusModel()
    {
    }

    /// <summary>As the ONNX model is, sized by Scoring:MaxBatchSize when the container builds it.</summary>
    public LaplacianFocusModel(Microsoft.Extensions.Options.IOptions<OnnxModelOptions> options)
    {
        MaxBatchSize = options.Value.MaxBatchSize;
    }

    private int _calls;

    public ModelCard Card { get; } = new() { Name = "laplacian-test-double", Version = "test-1", MicronsPerPixel = 0.5, PatchSize = 320 };

    public string Provider => "CPU";

    public int MaxBatchSize { get; } = 1;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The shipped 1.1.0 model has no scale output: neither has its stand-in.</summary>
    public bool PredictsScale => false;

    public void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
    {
        Interlocked.Increment(ref _calls);
        int size = Card.PatchSize, plane = size * size;
        var patch = new float[3 * plane];
        for (int n = 0; n < count; n++)
        {
            writePatch(n, patch);
            double energy = 0;
            for (int y = 1; y < size - 1; y++)
            {
                for (int x = 1; x < size - 1; x++)
                {
                    double laplacian = 4 * Grey(patch, plane, size, x, y) - Grey(patch, plane, size, x - 1, y) - Grey(patch, plane, size, x + 1, y)
                        - Grey(patch, plane, size, x, y - 1) - Grey(patch, plane, size, x, y + 1);
                    energy += laplacian * laplacian;
                }
            }

            energy /= (size - 2) * (size - 2);
            defocusMicrons[n] = (float)Math.Clamp(1.5 * (-Math.Log10(energy + 1e-12) - 2.5), 0, 10);
        }
    }

    private static double Grey(ReadOnlySpan<float> patch, int plane, int size, int x, int y)
    {
        int i = y * size + x;
        return (patch[i] + patch[plane + i] + patch[2 * plane + i]) / 3.0;
    }
}
