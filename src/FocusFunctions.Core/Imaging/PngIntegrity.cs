using System.Buffers.Binary;

namespace FocusFunctions.Core.Imaging;

/// <summary>
/// ImageSharp decodes a PNG cut short without complaint (the missing rows come out blank, which would then read as
/// "no tissue"), so a PNG must reach its IEND chunk with every chunk whole before it is decoded.
/// </summary>
public static class PngIntegrity
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Throws <see cref="TileDecodeException"/> when <paramref name="data"/> is a PNG that ends before its IEND chunk.</summary>
    public static void ThrowIfTruncated(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith(Signature))
        {
            return;
        }

        long offset = Signature.Length;
        while (offset + 8 <= data.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)offset..]);
            bool isEnd = data.Slice((int)offset + 4, 4).SequenceEqual("IEND"u8);
            long next = offset + 12 + length;
            if (next > data.Length)
            {
                break;
            }

            if (isEnd)
            {
                return;
            }

            offset = next;
        }

        throw new TileDecodeException($"The PNG data is truncated or corrupt: its {data.Length:N0} bytes end before the closing IEND chunk.");
    }

    /// <summary>
    /// Whether <paramref name="data"/> is a PNG whose pixels are all opaque: colour type 0 (grey), 2 (RGB) or 3
    /// (palette) and no tRNS chunk anywhere in the file. Anything else (alpha types, tRNS, a damaged header) is not.
    /// </summary>
    public static bool IsOpaque(ReadOnlySpan<byte> data)
    {
        // Signature, then IHDR: length 13, "IHDR", width, height, bit depth, colour type (byte 25).
        if (!data.StartsWith(Signature) || data.Length < 33 || !data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            return false;
        }

        if (data[25] is not (0 or 2 or 3))
        {
            return false;
        }

        long offset = Signature.Length;
        while (offset + 8 <= data.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[(int)offset..]);
            var type = data.Slice((int)offset + 4, 4);
            if (type.SequenceEqual("tRNS"u8))
            {
                return false;
            }

            if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            offset += 12L + length;
        }

        return true;
    }
}
