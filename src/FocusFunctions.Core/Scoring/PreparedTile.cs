namespace FocusFunctions.Core.Scoring;

/// <summary>
/// A tile decoded, resampled, gridded and checked for tissue, with its tissue patches already laid out as the model's
/// input tensor. Hosts that batch across tiles (the GPU worker) prepare many, then score them together.
/// </summary>
public sealed class PreparedTile
{
    internal PreparedTile(int width, int height, double micronsPerPixel, int columns, int rows, int patchSize,
        IReadOnlyList<PatchRegion> regions, double[] patchTissue, int[] scoredPatches, float[] tensor, double tissueFraction)
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
        Tensor = tensor;
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

    /// <summary>float32 [ScoredPatches.Length, 3, P, P], RGB/255.</summary>
    public float[] Tensor { get; }

    public double TissueFraction { get; }
}
