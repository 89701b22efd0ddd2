using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FocusFunctions.Core.Imaging;

/// <summary>Splits 16 packed RGB pixels (48 bytes) into one vector per channel with three SSSE3 shuffles each.</summary>
internal static class RgbLanes
{
    public const int Pixels = 16;

    public static bool IsSupported => Ssse3.IsSupported;

    // For channel c and 16-byte chunk k: where pixel i's byte 3i + c lies in that chunk, or 0x80 (shuffle to zero).
    private static readonly Vector128<byte>[] Split = BuildSplit();

    public static (Vector128<byte> Red, Vector128<byte> Green, Vector128<byte> Blue) Split16(ReadOnlySpan<byte> rgb48)
    {
        var chunk0 = Vector128.Create(rgb48[..16]);
        var chunk1 = Vector128.Create(rgb48.Slice(16, 16));
        var chunk2 = Vector128.Create(rgb48.Slice(32, 16));
        return (Gather(chunk0, chunk1, chunk2, 0), Gather(chunk0, chunk1, chunk2, 1), Gather(chunk0, chunk1, chunk2, 2));
    }

    private static Vector128<byte> Gather(Vector128<byte> c0, Vector128<byte> c1, Vector128<byte> c2, int channel) =>
        Ssse3.Shuffle(c0, Split[channel * 3]) | Ssse3.Shuffle(c1, Split[channel * 3 + 1]) | Ssse3.Shuffle(c2, Split[channel * 3 + 2]);

    private static Vector128<byte>[] BuildSplit()
    {
        var split = new Vector128<byte>[9];
        Span<byte> indices = stackalloc byte[16];
        for (int channel = 0; channel < 3; channel++)
        {
            for (int chunk = 0; chunk < 3; chunk++)
            {
                for (int i = 0; i < 16; i++)
                {
                    int at = 3 * i + channel - 16 * chunk;
                    indices[i] = at is >= 0 and < 16 ? (byte)at : (byte)0x80;
                }

                split[channel * 3 + chunk] = Vector128.Create((ReadOnlySpan<byte>)indices);
            }
        }

        return split;
    }
}
