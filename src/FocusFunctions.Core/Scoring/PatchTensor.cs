using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FocusFunctions.Core.Imaging;

namespace FocusFunctions.Core.Scoring;

/// <summary>Cuts one patch out of a tile as CHW float RGB/255, mirror-padding a region smaller than the patch.</summary>
public static class PatchTensor
{
    private const float Scale = 1f / 255f;

    public static void Write(RgbImage image, PatchRegion region, int patchSize, Span<float> destination)
    {
        int plane = patchSize * patchSize;
        if (destination.Length < 3 * plane)
        {
            throw new ArgumentException("Destination too small for one patch.", nameof(destination));
        }

        // A full-width region reads each row as one run of pixels: 16 at a time, same floats as the per-pixel path.
        bool contiguousRows = region.Width == patchSize && RgbLanes.IsSupported && Avx2.IsSupported;
        Span<int> columnOffsets = patchSize <= 1024 ? stackalloc int[patchSize] : new int[patchSize];
        for (int px = 0; px < patchSize; px++)
        {
            columnOffsets[px] = (region.X + Mirror(px, region.Width)) * 3;
        }

        var pixels = image.Pixels;
        for (int py = 0; py < patchSize; py++)
        {
            int rowStart = (region.Y + Mirror(py, region.Height)) * image.Width * 3;
            int o = py * patchSize, px = 0;
            if (contiguousRows)
            {
                var row = pixels.AsSpan(rowStart + region.X * 3, patchSize * 3);
                for (; px + RgbLanes.Pixels <= patchSize; px += RgbLanes.Pixels, o += RgbLanes.Pixels)
                {
                    var (red, green, blue) = RgbLanes.Split16(row.Slice(px * 3, RgbLanes.Pixels * 3));
                    StoreScaled(red, destination.Slice(o, RgbLanes.Pixels));
                    StoreScaled(green, destination.Slice(plane + o, RgbLanes.Pixels));
                    StoreScaled(blue, destination.Slice(2 * plane + o, RgbLanes.Pixels));
                }
            }

            for (; px < patchSize; px++, o++)
            {
                int s = rowStart + columnOffsets[px];
                destination[o] = pixels[s] * Scale;
                destination[plane + o] = pixels[s + 1] * Scale;
                destination[2 * plane + o] = pixels[s + 2] * Scale;
            }
        }
    }

    /// <summary>16 bytes → 16 floats × 1/255 (the same single multiply as the scalar path, so bit-identical).</summary>
    private static void StoreScaled(Vector128<byte> values, Span<float> destination)
    {
        var scale = Vector256.Create(Scale);
        var low = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(values));
        var high = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(values, 8)));
        (low * scale).CopyTo(destination);
        (high * scale).CopyTo(destination[8..]);
    }

    /// <summary>Reflects an index into [0, length) without repeating the edge pixel (…2 1 0 1 2…).</summary>
    internal static int Mirror(int index, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        int period = 2 * (length - 1);
        int m = index % period;
        return m < length ? m : period - m;
    }
}
