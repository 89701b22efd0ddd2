namespace FocusFunctions.Core.Scoring;

/// <summary>
/// Where the model-size patches go on a tile. Along each axis a tile of length L ≥ P gets n = ⌈L / P⌉ patches whose
/// origins are spread evenly from 0 to L − P (rounded), so the first and last patches touch the edges, every pixel is
/// covered, and overlap (when L is not a multiple of P) is shared out evenly instead of piling up at one edge. A tile
/// shorter than P along an axis gets one patch holding the whole length, mirror-padded to P for the model (mirroring
/// keeps the blur statistics of real content, where a constant fill would add sharp false edges).
/// </summary>
public static class PatchLayout
{
    public static IReadOnlyList<PatchRegion> Cover(int width, int height, int patchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patchSize);
        var xs = Origins(width, patchSize);
        var ys = Origins(height, patchSize);
        var regions = new List<PatchRegion>(xs.Length * ys.Length);
        for (int row = 0; row < ys.Length; row++)
        {
            for (int column = 0; column < xs.Length; column++)
            {
                regions.Add(new PatchRegion(column, row, xs[column], ys[row],
                    Math.Min(patchSize, width - xs[column]), Math.Min(patchSize, height - ys[row])));
            }
        }

        return regions;
    }

    internal static int[] Origins(int length, int patchSize)
    {
        if (length <= patchSize)
        {
            return [0];
        }

        int count = (length + patchSize - 1) / patchSize;
        var origins = new int[count];
        for (int i = 0; i < count; i++)
        {
            origins[i] = (int)Math.Round((double)i * (length - patchSize) / (count - 1), MidpointRounding.AwayFromZero);
        }

        return origins;
    }
}

/// <summary>A patch's place in the grid and its real pixels on the resampled tile (smaller than P only at a short tile).</summary>
public readonly record struct PatchRegion(int Column, int Row, int X, int Y, int Width, int Height);
