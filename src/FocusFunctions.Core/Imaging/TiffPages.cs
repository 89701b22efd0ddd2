using System.Buffers.Binary;

namespace FocusFunctions.Core.Imaging;

/// <summary>
/// Counts the pages (IFDs) of a classic TIFF from its header chain, without decoding anything, so that a z-stack
/// can be refused before its pages are allocated. Null when the data is not a classic TIFF or the chain is broken.
/// </summary>
public static class TiffPages
{
    /// <summary>
    /// Refuses a classic TIFF with more than <paramref name="maxPages"/> pages, or whose page chain is broken, before
    /// the decoder parses every page's tags (it does so even when only the first page is decoded).
    /// </summary>
    public static void ThrowIfTooMany(ReadOnlySpan<byte> data, int maxPages)
    {
        if (!IsTiff(data))
        {
            return;
        }

        int pages = Count(data, stopAfter: maxPages + 1) ?? throw new TileDecodeException(
            "The TIFF's page chain is broken (it points outside the file or back on itself), or it is a BigTIFF.");
        if (pages > maxPages)
        {
            throw new TileDecodeException($"The TIFF has more than {maxPages:N0} pages (the limit); its pages are not read.");
        }
    }

    /// <summary>
    /// Refuses a TIFF whose first page is uncompressed but whose strips or tiles (clipped to the file) hold fewer
    /// bytes than its declared size needs: the decoder would fill the rest with black instead of failing.
    /// </summary>
    public static void ThrowIfFirstPageShort(ReadOnlySpan<byte> data)
    {
        if (!IsTiff(data) || data.Length < 8)
        {
            return;
        }

        bool little = data[0] == (byte)'I';
        long ifd = Read32(data, 4, little);
        if (ifd < 8 || ifd + 2 > data.Length)
        {
            return; // ImageSharp refuses these itself
        }

        int entries = Read16(data, (int)ifd, little);
        long width = 0, height = 0, compression = 1, samples = 1, bits = 8;
        long held = 0;
        bool hasCounts = false;
        for (int e = 0; e < entries && ifd + 2 + 12 * (e + 1) <= data.Length; e++)
        {
            int entry = (int)ifd + 2 + 12 * e;
            int tag = Read16(data, entry, little), type = Read16(data, entry + 2, little);
            long count = Read32(data, entry + 4, little);
            long first = type == 3 ? Read16(data, entry + 8, little) : Read32(data, entry + 8, little);
            switch (tag)
            {
                case 256: width = first; break;
                case 257: height = first; break;
                case 258: bits = count == 1 ? Math.Min(first, 64) : 8; break;
                case 259: compression = first; break;
                case 277: samples = Math.Min(first, 16); break;
                case 279 or 325:
                    hasCounts = true;
                    held = HeldBytes(data, little, entry, type, count, offsetTag: tag == 279 ? 273 : 324, (int)ifd, entries);
                    break;
            }
        }

        long needed = height * ((width * samples * bits + 7) / 8);
        if (compression == 1 && hasCounts && held < needed)
        {
            throw new TileDecodeException(
                $"The TIFF data is truncated: its first page declares {width:N0}x{height:N0} uncompressed pixels ({needed:N0} bytes) but its strips hold {held:N0}.");
        }
    }

    /// <summary>The bytes the strips (or tiles) hold, each clipped to the end of the file.</summary>
    private static long HeldBytes(ReadOnlySpan<byte> data, bool little, int countsEntry, int type, long count, int offsetTag, int ifd, int entries)
    {
        int size = type == 3 ? 2 : 4;
        int? offsetsEntry = null;
        for (int e = 0; e < entries && ifd + 2 + 12 * (e + 1) <= data.Length; e++)
        {
            if (Read16(data, ifd + 2 + 12 * e, little) == offsetTag)
            {
                offsetsEntry = ifd + 2 + 12 * e;
            }
        }

        if (offsetsEntry is not { } offsets || count * size > data.Length || Read32(data, offsets + 4, little) != count)
        {
            return 0;
        }

        int offsetSize = Read16(data, offsets + 2, little) == 3 ? 2 : 4;
        long countsAt = count * size <= 4 ? countsEntry + 8 : Read32(data, countsEntry + 8, little);
        long offsetsAt = count * offsetSize <= 4 ? offsets + 8 : Read32(data, offsets + 8, little);
        if (countsAt + count * size > data.Length || offsetsAt + count * offsetSize > data.Length)
        {
            return 0;
        }

        long held = 0;
        for (int i = 0; i < count; i++)
        {
            long length = size == 2 ? Read16(data, (int)countsAt + 2 * i, little) : Read32(data, (int)countsAt + 4 * i, little);
            long start = offsetSize == 2 ? Read16(data, (int)offsetsAt + 2 * i, little) : Read32(data, (int)offsetsAt + 4 * i, little);
            held += Math.Clamp(data.Length - start, 0, length);
        }

        return held;
    }

    private static bool IsTiff(ReadOnlySpan<byte> data) => data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8);

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
            if (pages >= stopAfter)
            {
                return pages;
            }

            if (offset < 8 || offset + 2 > data.Length)
            {
                return null;
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
