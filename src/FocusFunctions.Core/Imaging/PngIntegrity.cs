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
}
