using FocusFunctions.Core.Imaging;

namespace FocusFunctions.Core.Scoring;

/// <summary>Cuts one patch out of a tile as CHW float RGB/255, mirror-padding a region smaller than the patch.</summary>
public static class PatchTensor
{
    public static void Write(RgbImage image, PatchRegion region, int patchSize, Span<float> destination)
    {
        int plane = patchSize * patchSize;
        if (destination.Length < 3 * plane)
        {
            throw new ArgumentException("Destination too small for one patch.", nameof(destination));
        }

        Span<int> columnOffsets = patchSize <= 1024 ? stackalloc int[patchSize] : new int[patchSize];
        for (int px = 0; px < patchSize; px++)
        {
            columnOffsets[px] = (region.X + Mirror(px, region.Width)) * 3;
        }

        var pixels = image.Pixels;
        const float scale = 1f / 255f;
        for (int py = 0; py < patchSize; py++)
        {
            int rowStart = (region.Y + Mirror(py, region.Height)) * image.Width * 3;
            int o = py * patchSize;
            for (int px = 0; px < patchSize; px++, o++)
            {
                int s = rowStart + columnOffsets[px];
                destination[o] = pixels[s] * scale;
                destination[plane + o] = pixels[s + 1] * scale;
                destination[2 * plane + o] = pixels[s + 2] * scale;
            }
        }
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
