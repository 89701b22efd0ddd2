using FocusFunctions.Core.Imaging;

namespace FocusFunctions.Core.Scoring;

/// <summary>
/// A tile decoded, resampled to the model's pixel size, gridded and checked for tissue. Its patches are written into the
/// model's input only when their run comes (<see cref="WritePatch"/>), so memory holds the pixels once, never a float
/// tensor of every patch. Hosts that batch across tiles (the GPU worker) prepare many, then score them together.
/// </summary>
public sealed class PreparedTile
{
    private readonly RgbImage _resampled;

    internal PreparedTile(int width, int height, double micronsPerPixel, int columns, int rows, int patchSize,
        IReadOnlyList<PatchRegion> regions, double[] patchTissue, int[] scoredPatches, RgbImage resampled, double tissueFraction)
    {
        Width = width;
        Height = height;
        MicronsPerPixel = micronsPerPixel;
        Columns = columns;
        Rows = rows;
        PatchSize = patchSize;
        Regions = regions;
        PatchTissue = patchTissue;
        ScoredPatches = scoredPatches;
        _resampled = resampled;
        TissueFraction = tissueFraction;
    }

    public int Width { get; }
    public int Height { get; }
    public double MicronsPerPixel { get; }
    public int Columns { get; }
    public int Rows { get; }
    public int PatchSize { get; }
    public IReadOnlyList<PatchRegion> Regions { get; }

    /// <summary>Tissue share of each region, in <see cref="Regions"/> order.</summary>
    public double[] PatchTissue { get; }

    /// <summary>Indices into <see cref="Regions"/> of the patches sent to the model, in tensor order.</summary>
    public int[] ScoredPatches { get; }

    /// <summary>Writes scored patch <paramref name="n"/> (of <see cref="ScoredPatches"/>) as float32 [3, P, P], RGB/255; thread-safe.</summary>
    public void WritePatch(int n, Span<float> destination) => PatchTensor.Write(_resampled, Regions[ScoredPatches[n]], PatchSize, destination);

    public double TissueFraction { get; }

    /// <summary>Pixels held until the tile is scored (the tile at the model's pixel size, 3 bytes each).</summary>
    public long ResampledPixels => (long)_resampled.Width * _resampled.Height;
}
