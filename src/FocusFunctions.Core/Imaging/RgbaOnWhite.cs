using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Imaging;

/// <summary>Decoded RGBA rows flattened onto white: the decoder's last step.</summary>
internal static class RgbaOnWhite
{
    /// <summary>
    /// RGBA → RGB on white. Opaque runs of four pixels drop their alpha bytes with one SSSE3 shuffle (most tiles are
    /// fully opaque; the per-pixel loop was a tenth of a PNG tile's decode); anything else takes the exact formula.
    /// </summary>
    internal static void Composite(ReadOnlySpan<Rgba32> row, Span<byte> rgb)
    {
        var bytes = MemoryMarshal.AsBytes(row);
        int i = 0;
        if (Ssse3.IsSupported)
        {
            var dropAlpha = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
            var alphaBytes = Vector128.Create(0xFF000000u).AsByte();
            // Each store writes 16 bytes for 12: the 4 extra are overwritten by the next run, so stop 16 bytes early.
            for (; i + 4 <= row.Length && 3 * i + 16 <= rgb.Length; i += 4)
            {
                var four = Vector128.Create(bytes.Slice(4 * i, 16));
                if ((four & alphaBytes) != alphaBytes)
                {
                    CompositePixels(row.Slice(i, 4), rgb.Slice(3 * i, 12));
                    continue;
                }

                Ssse3.Shuffle(four, dropAlpha).CopyTo(rgb.Slice(3 * i, 16));
            }
        }

        CompositePixels(row[i..], rgb[(3 * i)..]);
    }

    private static void CompositePixels(ReadOnlySpan<Rgba32> pixels, Span<byte> rgb)
    {
        for (int i = 0, o = 0; i < pixels.Length; i++, o += 3)
        {
            var px = pixels[i];
            if (px.A == 255)
            {
                rgb[o] = px.R;
                rgb[o + 1] = px.G;
                rgb[o + 2] = px.B;
            }
            else
            {
                int a = px.A, white = 255 * (255 - a);
                rgb[o] = (byte)((px.R * a + white + 127) / 255);
                rgb[o + 1] = (byte)((px.G * a + white + 127) / 255);
                rgb[o + 2] = (byte)((px.B * a + white + 127) / 255);
            }
        }
    }
}
