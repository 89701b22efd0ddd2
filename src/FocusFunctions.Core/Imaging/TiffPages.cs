using System.Buffers.Binary;

namespace FocusFunctions.Core.Imaging;

/// <summary>
/// Counts the pages (IFDs) of a classic TIFF from its header chain, without decoding anything, so that a z-stack
/// can be refused before its pages are allocated. Null when the data is not a classic TIFF or the chain is broken.
/// </summary>
public static class TiffPages
{
    public static int? Count(ReadOnlySpan<byte> data, int stopAfter = 100_000)
    {
        if (data.Length < 8)
        {
            return null;
        }

        bool little = data[0] == (byte)'I' && data[1] == (byte)'I';
        bool big = data[0] == (byte)'M' && data[1] == (byte)'M';
        if (!(little || big) || Read16(data, 2, little) != 42)
        {
            return null; // not TIFF, or BigTIFF (43)
        }

        long offset = Read32(data, 4, little);
        int pages = 0;
        while (offset != 0)
        {
            if (offset < 8 || offset + 2 > data.Length || pages >= stopAfter)
            {
                return offset == 0 ? pages : null;
            }

            int entries = Read16(data, (int)offset, little);
            long next = offset + 2 + 12L * entries;
            if (next + 4 > data.Length)
            {
                return null;
            }

            pages++;
            long following = Read32(data, (int)next, little);
            if (following != 0 && following <= offset)
            {
                return null; // a loop in the chain
            }

            offset = following;
        }

        return pages;
    }

    private static int Read16(ReadOnlySpan<byte> data, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

    private static long Read32(ReadOnlySpan<byte> data, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt32BigEndian(data[at..]);
}
