using System.Runtime.Intrinsics;
using FocusFunctions.Core.Imaging;

namespace FocusFunctions.Core.Scoring;

/// <summary>
/// Tissue mask for brightfield stains, in two steps. Per pixel: tissue when it is stained (HSV saturation ≥ 0.12) or
/// absorbs (max channel &lt; 200), unless it is marker ink: saturated red with no blue lift (eosin is pink, lifted in
/// blue; red pen is not), green/teal (no common stain is green), deep blue far above red and green, or near-black
/// lines; everything else is glass-like. Then across pixels: a glass-like pixel with at least a fifth of its 25×25
/// neighbourhood tissue counts as tissue too. The second step is for IHC: its counterstained cytoplasm is as pale
/// and grey as the glass on some scanners (OS-2 VSI's background is RGB 216), so per pixel only the nuclei pass and a
/// Ki-67 section full of cells came out NoTissue; between nuclei the neighbourhood rule fills it, while open glass,
/// which has no tissue nearby, stays glass, and ink and black lines never count. Thresholds were set on
/// ../shared/data/histology: every background image comes out below the patch threshold, every in-focus H&amp;E/IHC
/// image shows tissue.
/// </summary>
public static class TissueDetector
{
    /// <summary>Half the side of the neighbourhood window, in pixels of the image mapped (the model's grid:
    /// 6 µm at 0.5 µm/px, about the gap between nuclei in a cellular section).</summary>
    public const int NeighbourhoodRadius = 12;

    /// <summary>A glass-like pixel counts as tissue when at least 1 / this of its neighbourhood is tissue.</summary>
    private const int NeighbourhoodShare = 5;

    internal enum PixelKind : byte
    {
        GlassLike = 0,
        Tissue = 1,
        Blocked = 2, // marker ink or near-black lines: never tissue, even among tissue
    }

    public static bool IsTissue(byte r, byte g, byte b) => Classify(r, g, b) == PixelKind.Tissue;

    internal static PixelKind Classify(byte r, byte g, byte b)
    {
        int max = Math.Max(r, Math.Max(g, b));
        int min = Math.Min(r, Math.Min(g, b));
        if (max < 45)
        {
            return PixelKind.Blocked; // ink lines, fold shadows
        }

        bool redInk = r - g > 50 && (b - g) * 100 < 22 * (r - g);
        bool greenInk = g - r > 40 && g >= b - 25;
        bool blueInk = b - r > 110 && b - g > 60;
        if (redInk || greenInk || blueInk)
        {
            return PixelKind.Blocked;
        }

        bool stained = (max - min) * 100 >= 12 * max;
        return stained || max < 200 ? PixelKind.Tissue : PixelKind.GlassLike;
    }

    /// <summary>A summed-area table of the mask, so any rectangle's tissue count costs four lookups.</summary>
    public static TissueMap Map(RgbImage image) =>
        Map(image, Enumerable.Range(0, image.Width + 1).ToArray(), Enumerable.Range(0, image.Height + 1).ToArray());

    /// <summary>
    /// The summed-area table kept only on the patches' edges: counts of rectangles whose sides lie on those lines. The
    /// full table costs 4 bytes a pixel and the mask one more (405 MB for an 81 MP tile); this one is computed row by
    /// row from a window of classified rows, so it costs a few rows and the lines asked for.
    /// </summary>
    public static TissueMap Map(RgbImage image, IReadOnlyList<PatchRegion> regions) =>
        Map(image,
            regions.SelectMany(r => new[] { r.X, r.X + r.Width }).Append(0).Append(image.Width).ToArray(),
            regions.SelectMany(r => new[] { r.Y, r.Y + r.Height }).Append(0).Append(image.Height).ToArray());

    private static TissueMap Map(RgbImage image, int[] columnLines, int[] rowLines)
    {
        int w = image.Width, h = image.Height;
        int[] xs = Lines(columnLines, w), ys = Lines(rowLines, h);
        var integral = new int[xs.Length * ys.Length]; // integral[j * xs.Length + i]: tissue in [0, xs[i]) × [0, ys[j])

        // The window counts come from running column sums over the window's rows (a row enters at the bottom and
        // leaves at the top as y moves) and, per row, their prefix sums: one subtraction per pixel. The classified
        // rows live in a ring: the window's 2R + 1 rows and the one leaving it.
        const int Ring = 2 * NeighbourhoodRadius + 2;
        var kinds = GC.AllocateUninitializedArray<PixelKind>(Ring * w);
        var columns = new int[w];  // tissue pixels per column in rows [top, bottom)
        var band = new int[w + 1]; // band[x]: tissue pixels in rows [top, bottom) and columns [0, x)
        var sums = new int[xs.Length]; // tissue in [0, xs[i]) × [0, y + 1)
        bool vectorized = VectorMask.IsSupported;
        int top = 0, bottom = 0, nextRowLine = ys[0] == 0 ? 1 : 0;
        for (int y = 0; y < h; y++)
        {
            for (; bottom < Math.Min(h, y + NeighbourhoodRadius + 1); bottom++)
            {
                var slot = kinds.AsSpan(bottom % Ring * w, w);
                ClassifyRow(image.Pixels.AsSpan(bottom * w * 3, w * 3), slot, vectorized);
                AddRow(columns, slot, +1);
            }

            for (; top < y - NeighbourhoodRadius; top++)
            {
                AddRow(columns, kinds.AsSpan(top % Ring * w, w), -1);
            }

            for (int x = 0; x < w; x++)
            {
                band[x + 1] = band[x] + columns[x];
            }

            int rows = bottom - top, rowSum = 0, nextColumnLine = xs[0] == 0 ? 1 : 0;
            var rowKinds = kinds.AsSpan(y % Ring * w, w);
            for (int x = 0; x < w; x++)
            {
                var kind = rowKinds[x];
                bool tissue = kind == PixelKind.Tissue;
                if (kind == PixelKind.GlassLike)
                {
                    int left = Math.Max(0, x - NeighbourhoodRadius), right = Math.Min(w, x + NeighbourhoodRadius + 1);
                    tissue = (band[right] - band[left]) * NeighbourhoodShare >= rows * (right - left);
                }

                rowSum += tissue ? 1 : 0;
                if (nextColumnLine < xs.Length && x + 1 == xs[nextColumnLine])
                {
                    sums[nextColumnLine++] += rowSum;
                }
            }

            if (nextRowLine < ys.Length && y + 1 == ys[nextRowLine])
            {
                sums.CopyTo(integral.AsSpan(nextRowLine++ * xs.Length, xs.Length));
            }
        }

        return new TissueMap(w, h, xs, ys, integral);
    }

    /// <summary>The distinct lines in [0, <paramref name="length"/>], sorted.</summary>
    private static int[] Lines(int[] lines, int length)
    {
        foreach (int line in lines)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(line);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(line, length);
        }

        return lines.Append(0).Distinct().Order().ToArray();
    }

    private static void AddRow(int[] columns, ReadOnlySpan<PixelKind> row, int sign)
    {
        for (int x = 0; x < row.Length; x++)
        {
            columns[x] += sign * ((int)row[x] & 1); // Tissue is 1; GlassLike 0 and Blocked 2 add nothing
        }
    }

    /// <summary>One <see cref="PixelKind"/> per pixel, 16 pixels at a time where the CPU allows.</summary>
    internal static PixelKind[] Classify(RgbImage image)
    {
        int w = image.Width, h = image.Height;
        bool vectorized = VectorMask.IsSupported;
        var kinds = GC.AllocateUninitializedArray<PixelKind>(w * h);
        for (int y = 0; y < h; y++)
        {
            ClassifyRow(image.Pixels.AsSpan(y * w * 3, w * 3), kinds.AsSpan(y * w, w), vectorized);
        }

        return kinds;
    }

    private static void ClassifyRow(ReadOnlySpan<byte> row, Span<PixelKind> rowKinds, bool vectorized)
    {
        int w = rowKinds.Length, x = 0;
        if (vectorized)
        {
            for (; x + VectorMask.Pixels <= w; x += VectorMask.Pixels)
            {
                var (tissue, blocked) = VectorMask.Bits(row.Slice(x * 3, VectorMask.Pixels * 3));
                for (int i = 0; i < VectorMask.Pixels; i++)
                {
                    rowKinds[x + i] = (PixelKind)(((tissue >> i) & 1) | (((blocked >> i) & 1) << 1));
                }
            }
        }

        for (int s = x * 3; x < w; x++, s += 3)
        {
            rowKinds[x] = Classify(row[s], row[s + 1], row[s + 2]);
        }
    }

    /// <summary>
    /// <see cref="Classify(byte, byte, byte)"/> for 16 pixels at once (<see cref="RgbLanes"/> splits the bytes, then 16-bit lanes: every
    /// product in the rule stays within ±25 500). The per-pixel rule took ~12 ns a pixel, most of a tile's
    /// preprocessing; a test holds the two equal on all 2²⁴ colours.
    /// </summary>
    private static class VectorMask
    {
        public const int Pixels = RgbLanes.Pixels;

        public static bool IsSupported => RgbLanes.IsSupported && Vector256.IsHardwareAccelerated;

        public static (uint Tissue, uint Blocked) Bits(ReadOnlySpan<byte> rgb48)
        {
            var (red, green, blue) = RgbLanes.Split16(rgb48);
            var r = Widen(red);
            var g = Widen(green);
            var b = Widen(blue);

            var max = Vector256.Max(r, Vector256.Max(g, b));
            var min = Vector256.Min(r, Vector256.Min(g, b));
            var hundred = Vector256.Create((short)100);
            var redMinusGreen = r - g;
            var blueMinusGreen = b - g;
            var visible = Vector256.GreaterThanOrEqual(max, Vector256.Create((short)45));
            var redInk = Vector256.GreaterThan(redMinusGreen, Vector256.Create((short)50))
                & Vector256.LessThan(blueMinusGreen * hundred, redMinusGreen * Vector256.Create((short)22));
            var greenInk = Vector256.GreaterThan(g - r, Vector256.Create((short)40))
                & Vector256.GreaterThanOrEqual(g, b - Vector256.Create((short)25));
            var blueInk = Vector256.GreaterThan(b - r, Vector256.Create((short)110))
                & Vector256.GreaterThan(blueMinusGreen, Vector256.Create((short)60));
            var stained = Vector256.GreaterThanOrEqual((max - min) * hundred, max * Vector256.Create((short)12));
            var absorbs = Vector256.LessThan(max, Vector256.Create((short)200));
            var blocked = ~visible | redInk | greenInk | blueInk;
            var tissue = Vector256.AndNot(stained | absorbs, blocked);
            return (tissue.ExtractMostSignificantBits(), blocked.ExtractMostSignificantBits());
        }

        private static Vector256<short> Widen(Vector128<byte> values) =>
            Vector256.Create(Vector128.WidenLower(values), Vector128.WidenUpper(values)).AsInt16();
    }
}

/// <summary>Tissue counts of rectangles whose sides lie on the map's lines (every line for <see cref="TissueDetector.Map(RgbImage)"/>).</summary>
public sealed class TissueMap
{
    private readonly int[] _xs, _ys, _integral;

    internal TissueMap(int width, int height, int[] xs, int[] ys, int[] integral)
    {
        Width = width;
        Height = height;
        _xs = xs;
        _ys = ys;
        _integral = integral;
    }

    public int Width { get; }
    public int Height { get; }

    public int Count(int x, int y, int w, int h)
    {
        int x0 = Column(x), x1 = Column(x + w), y0 = Row(y), y1 = Row(y + h), stride = _xs.Length;
        return _integral[y1 * stride + x1] - _integral[y0 * stride + x1] - _integral[y1 * stride + x0] + _integral[y0 * stride + x0];
    }

    public double Fraction(int x, int y, int w, int h) => (double)Count(x, y, w, h) / ((long)w * h);

    public double TotalFraction => Fraction(0, 0, Width, Height);

    private int Column(int x) => Index(_xs, x, "column");

    private int Row(int y) => Index(_ys, y, "row");

    private static int Index(int[] lines, int value, string what)
    {
        int i = Array.BinarySearch(lines, value);
        return i >= 0 ? i : throw new ArgumentOutOfRangeException(nameof(value), value, $"The tissue map keeps no {what} line at {value}.");
    }
}
