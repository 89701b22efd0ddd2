namespace FocusFunctions.Core.Imaging;

/// <summary>
/// Resamples a tile to the model's pixel size, exactly as the training pipeline does (training/preprocess.py), so
/// that train and serve see the same pixels. Separable, on 8-bit sRGB values, scale k = source µm/px ÷ model µm/px:
/// when shrinking, each output pixel is the area-weighted mean of the input pixels its footprint [i/k, (i+1)/k)
/// overlaps; when enlarging, linear interpolation at (i + 0.5)/k − 0.5, clamped to the edges. Rounded once, at the end.
/// </summary>
public static class Resampler
{
    public static RgbImage Resample(RgbImage source, double sourceMicronsPerPixel, double targetMicronsPerPixel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceMicronsPerPixel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetMicronsPerPixel);
        double k = sourceMicronsPerPixel / targetMicronsPerPixel;
        if (Math.Abs(k - 1.0) < 1e-9)
        {
            return source;
        }

        int outWidth = Math.Max(1, (int)Math.Round(source.Width * k, MidpointRounding.AwayFromZero));
        int outHeight = Math.Max(1, (int)Math.Round(source.Height * k, MidpointRounding.AwayFromZero));
        var columns = Weights(source.Width, outWidth, k);
        var rows = Weights(source.Height, outHeight, k);

        // Pass 1 (columns, into float rows of the output width) runs row by row as pass 2 (rows) asks for them, into a
        // ring of as many rows as one output row reads: the intermediate costs a few rows, not 12 bytes per input row
        // and output column (6 bytes a pixel of a 40x tile halved). The arithmetic and its order are unchanged.
        var src = source.Pixels;
        int rowLength = outWidth * 3;
        int ringRows = rows.Max(t => t.Values.Length);
        var ring = new float[ringRows * rowLength];
        int computed = -1; // the last source row computed into the ring

        // Pass 2: rows, then one rounding to 8 bits.
        var result = RgbImage.Blank(outWidth, outHeight);
        var dst = result.Pixels;
        var accumulator = new float[rowLength];
        for (int y = 0; y < outHeight; y++)
        {
            var w = rows[y];
            for (int sourceRow = Math.Max(computed + 1, w.First); sourceRow < w.First + w.Values.Length; sourceRow++)
            {
                Horizontal(src, source.Width, sourceRow, columns, ring.AsSpan(sourceRow % ringRows * rowLength, rowLength));
                computed = sourceRow;
            }

            Array.Clear(accumulator);
            for (int t = 0; t < w.Values.Length; t++)
            {
                float v = w.Values[t];
                var line = ring.AsSpan((w.First + t) % ringRows * rowLength, rowLength);
                for (int i = 0; i < rowLength; i++)
                {
                    accumulator[i] += v * line[i];
                }
            }

            var outLine = dst.AsSpan(y * rowLength, rowLength);
            for (int i = 0; i < rowLength; i++)
            {
                outLine[i] = (byte)Math.Clamp(MathF.Round(accumulator[i], MidpointRounding.AwayFromZero), 0, 255);
            }
        }

        return result;
    }

    /// <summary>One source row resampled along x into <paramref name="line"/> (output width × 3 floats).</summary>
    private static void Horizontal(byte[] src, int sourceWidth, int y, Taps[] columns, Span<float> line)
    {
        int inRow = y * sourceWidth * 3;
        for (int x = 0; x < columns.Length; x++)
        {
            var w = columns[x];
            float r = 0, g = 0, b = 0;
            for (int t = 0; t < w.Values.Length; t++)
            {
                int s = inRow + (w.First + t) * 3;
                float v = w.Values[t];
                r += v * src[s];
                g += v * src[s + 1];
                b += v * src[s + 2];
            }

            int o = x * 3;
            line[o] = r;
            line[o + 1] = g;
            line[o + 2] = b;
        }
    }

    internal readonly record struct Taps(int First, float[] Values);

    internal static Taps[] Weights(int inSize, int outSize, double k)
    {
        var taps = new Taps[outSize];
        for (int i = 0; i < outSize; i++)
        {
            taps[i] = k < 1.0 ? AreaTaps(i, inSize, k) : LinearTaps(i, inSize, k);
        }

        return taps;
    }

    private static Taps AreaTaps(int i, int inSize, double k)
    {
        double start = i / k, end = Math.Min((i + 1) / k, inSize);
        int first = (int)Math.Floor(start);
        int last = Math.Min(inSize - 1, (int)Math.Ceiling(end) - 1);
        var values = new float[last - first + 1];
        double total = 0;
        for (int s = first; s <= last; s++)
        {
            double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
            values[s - first] = (float)Math.Max(0, overlap);
            total += Math.Max(0, overlap);
        }

        for (int t = 0; t < values.Length; t++)
        {
            values[t] = (float)(values[t] / total);
        }

        return new Taps(first, values);
    }

    private static Taps LinearTaps(int i, int inSize, double k)
    {
        double x = Math.Clamp((i + 0.5) / k - 0.5, 0, inSize - 1);
        int left = (int)Math.Floor(x);
        if (left >= inSize - 1)
        {
            return new Taps(inSize - 1, [1f]);
        }

        float frac = (float)(x - left);
        return new Taps(left, [1f - frac, frac]);
    }
}
