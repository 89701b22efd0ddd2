using FocusFunctions.Core.Imaging;

namespace FocusFunctions.Core.Scoring;

/// <summary>
/// Per-pixel tissue mask for brightfield stains. A pixel is tissue when it is stained (HSV saturation ≥ 0.12) or
/// absorbs (max channel &lt; 200), unless it is marker ink: saturated red with no blue lift (eosin is pink, lifted in
/// blue; red pen is not), green/teal (no common stain is green), deep blue far above red and green, or near-black
/// lines. Glass is bright and grey, so it is never tissue. Thresholds were set on ../shared/data/histology: every
/// background image comes out below the patch threshold, every in-focus H&amp;E/IHC image above it.
/// </summary>
public static class TissueDetector
{
    public static bool IsTissue(byte r, byte g, byte b)
    {
        int max = Math.Max(r, Math.Max(g, b));
        int min = Math.Min(r, Math.Min(g, b));
        if (max < 45)
        {
            return false; // ink lines, fold shadows
        }

        bool redInk = r - g > 50 && (b - g) * 100 < 22 * (r - g);
        bool greenInk = g - r > 40 && g >= b - 25;
        bool blueInk = b - r > 110 && b - g > 60;
        if (redInk || greenInk || blueInk)
        {
            return false;
        }

        bool stained = (max - min) * 100 >= 12 * max;
        return stained || max < 200;
    }

    /// <summary>A summed-area table of the mask, so any patch's tissue count costs four lookups.</summary>
    public static TissueMap Map(RgbImage image)
    {
        int w = image.Width, h = image.Height;
        var integral = new int[(w + 1) * (h + 1)];
        var p = image.Pixels;
        for (int y = 0; y < h; y++)
        {
            int rowSum = 0, src = y * w * 3;
            int above = y * (w + 1), here = (y + 1) * (w + 1);
            for (int x = 0; x < w; x++, src += 3)
            {
                rowSum += IsTissue(p[src], p[src + 1], p[src + 2]) ? 1 : 0;
                integral[here + x + 1] = integral[above + x + 1] + rowSum;
            }
        }

        return new TissueMap(w, h, integral);
    }
}

public sealed class TissueMap(int width, int height, int[] integral)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    public int Count(int x, int y, int w, int h)
    {
        int stride = Width + 1;
        return integral[(y + h) * stride + x + w] - integral[y * stride + x + w] - integral[(y + h) * stride + x] + integral[y * stride + x];
    }

    public double Fraction(int x, int y, int w, int h) => (double)Count(x, y, w, h) / ((long)w * h);

    public double TotalFraction => Fraction(0, 0, Width, Height);
}
