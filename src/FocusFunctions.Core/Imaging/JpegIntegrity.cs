using System.Buffers.Binary;

namespace FocusFunctions.Core.Imaging;

/// <summary>
/// ImageSharp decodes a JPEG cut short without complaint, with or without an end marker after the cut: the missing
/// blocks come out grey, which would then read as glass or blur. So the segment structure is walked before decoding:
/// it must reach its end-of-image marker (bytes after it, such as scanner trailers, are ignored), and every Huffman
/// scan of a sequential JPEG is walked symbol by symbol, so its entropy-coded data must code every MCU before the next
/// marker. A progressive JPEG's scans must together bring every coefficient of every component to full precision.
/// </summary>
public static class JpegIntegrity
{
    /// <summary>Throws <see cref="TileDecodeException"/> when <paramref name="data"/> (a JPEG) is truncated or its structure is broken.</summary>
    public static void ThrowIfTruncated(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw Broken("it does not start with a start-of-image marker");
        }

        var tables = new JpegHuffmanTables();
        JpegFrame? frame = null;
        bool[,]? refined = null; // progressive: [component, coefficient] brought to full precision
        int restartInterval = 0;
        int position = 2;
        while (true)
        {
            int marker = NextMarker(data, ref position);
            if (marker == 0xD9)
            {
                if (frame is null)
                {
                    throw Broken("it ends before any frame header");
                }

                if (refined is not null && !AllTrue(refined))
                {
                    throw Truncated("its progressive scans stop before every coefficient is complete");
                }

                return;
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue; // standalone markers
            }

            if (position + 2 > data.Length)
            {
                throw Truncated("it ends inside a marker segment");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2 || position + length > data.Length)
            {
                throw Truncated("a marker segment runs past the end of the data");
            }

            var segment = data.Slice(position + 2, length - 2);
            position += length;
            switch (marker)
            {
                case 0xC4:
                    tables.Define(segment);
                    break;
                case 0xDD when segment.Length >= 2:
                    restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC:
                    frame = JpegFrame.Parse(marker, segment) ?? throw Broken("its frame header is malformed");
                    refined = frame.Progressive ? new bool[frame.Components.Length, 64] : null;
                    break;
                case 0xDA:
                    if (frame is null)
                    {
                        throw Broken("a scan comes before the frame header");
                    }

                    var scan = JpegScan.Parse(segment, frame) ?? throw Broken("a scan header is malformed");
                    if (refined is not null)
                    {
                        scan.MarkRefined(refined);
                    }

                    position = frame.SequentialHuffman && frame.Height > 0
                        ? new JpegScanWalker(data, position, frame, scan, tables, restartInterval).Walk()
                        : SkipEntropyCodedData(data, position);
                    break;
            }
        }
    }

    internal static TileDecodeException Truncated(string why) => new($"The JPEG data is truncated: {why}.");

    internal static TileDecodeException Broken(string why) => new($"The JPEG data is corrupt: {why}.");

    /// <summary>Reads the marker at <paramref name="position"/> (fill bytes allowed) and moves past it.</summary>
    private static int NextMarker(ReadOnlySpan<byte> data, ref int position)
    {
        if (position >= data.Length)
        {
            throw Truncated("it ends before its end-of-image marker");
        }

        if (data[position] != 0xFF)
        {
            throw Broken($"a marker was expected at byte {position:N0}");
        }

        while (position < data.Length && data[position] == 0xFF)
        {
            position++;
        }

        if (position >= data.Length)
        {
            throw Truncated("it ends before its end-of-image marker");
        }

        return data[position++];
    }

    /// <summary>The position of the marker that ends the entropy-coded data starting at <paramref name="position"/>.</summary>
    internal static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int position)
    {
        for (int i = position; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] != 0x00 && data[i + 1] is not (>= 0xD0 and <= 0xD7) && data[i + 1] != 0xFF)
            {
                return i;
            }
        }

        throw Truncated("it ends inside a scan's entropy-coded data");
    }

    private static bool AllTrue(bool[,] flags)
    {
        foreach (bool flag in flags)
        {
            if (!flag)
            {
                return false;
            }
        }

        return true;
    }
}
