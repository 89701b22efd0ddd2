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

        // Pass 1: columns, into float rows of the output width.
        var horizontal = new float[source.Height * outWidth * 3];
        var src = source.Pixels;
        for (int y = 0; y < source.Height; y++)
        {
            int inRow = y * source.Width * 3, outRow = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++)
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

                int o = outRow + x * 3;
                horizontal[o] = r;
                horizontal[o + 1] = g;
                horizontal[o + 2] = b;
            }
        }

        // Pass 2: rows, then one rounding to 8 bits.
        var result = RgbImage.Blank(outWidth, outHeight);
        var dst = result.Pixels;
        int rowLength = outWidth * 3;
        var accumulator = new float[rowLength];
        for (int y = 0; y < outHeight; y++)
        {
            Array.Clear(accumulator);
            var w = rows[y];
            for (int t = 0; t < w.Values.Length; t++)
            {
                float v = w.Values[t];
                var line = horizontal.AsSpan((w.First + t) * rowLength, rowLength);
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
