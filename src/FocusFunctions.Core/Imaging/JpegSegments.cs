using System.Buffers.Binary;

namespace FocusFunctions.Core.Imaging;

/// <summary>A JPEG frame header (SOFn): size and the sampling of each component.</summary>
internal sealed record JpegFrame(int Marker, int Width, int Height, JpegComponent[] Components)
{
    public bool SequentialHuffman => Marker is 0xC0 or 0xC1;

    public bool Progressive => Marker is 0xC2 or 0xCA;

    public int MaxHorizontal => Components.Max(c => c.Horizontal);

    public int MaxVertical => Components.Max(c => c.Vertical);

    public static JpegFrame? Parse(int marker, ReadOnlySpan<byte> segment)
    {
        if (segment.Length < 6)
        {
            return null;
        }

        int count = segment[5];
        if (count == 0 || segment.Length < 6 + 3 * count)
        {
            return null;
        }

        var components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            var c = segment.Slice(6 + 3 * i, 3);
            int horizontal = c[1] >> 4, vertical = c[1] & 15;
            if (horizontal is < 1 or > 4 || vertical is < 1 or > 4)
            {
                return null;
            }

            components[i] = new JpegComponent(c[0], horizontal, vertical);
        }

        return new JpegFrame(
            marker, BinaryPrimitives.ReadUInt16BigEndian(segment[3..]), BinaryPrimitives.ReadUInt16BigEndian(segment[1..]), components);
    }
}

internal readonly record struct JpegComponent(int Id, int Horizontal, int Vertical);

/// <summary>A scan header (SOS): which components (by index into the frame), their tables, and the coefficient band.</summary>
internal sealed record JpegScan(int[] Components, int[] DcTables, int[] AcTables, int SpectralStart, int SpectralEnd, int LowBit)
{
    public static JpegScan? Parse(ReadOnlySpan<byte> segment, JpegFrame frame)
    {
        int count = segment.Length > 0 ? segment[0] : 0;
        if (count is < 1 or > 4 || segment.Length < 4 + 2 * count)
        {
            return null;
        }

        var components = new int[count];
        var dc = new int[count];
        var ac = new int[count];
        for (int i = 0; i < count; i++)
        {
            int id = segment[1 + 2 * i];
            components[i] = Array.FindIndex(frame.Components, c => c.Id == id);
            if (components[i] < 0)
            {
                return null;
            }

            dc[i] = segment[2 + 2 * i] >> 4;
            ac[i] = segment[2 + 2 * i] & 15;
        }

        int band = 1 + 2 * count;
        return new JpegScan(components, dc, ac, segment[band], Math.Min((int)segment[band + 1], 63), segment[band + 2] & 15);
    }

    /// <summary>Marks the coefficients this scan leaves at full precision (its low bit is 0).</summary>
    public void MarkRefined(bool[,] refined)
    {
        if (LowBit != 0)
        {
            return;
        }

        foreach (int component in Components)
        {
            for (int k = SpectralStart; k <= SpectralEnd; k++)
            {
                refined[component, k] = true;
            }
        }
    }
}

/// <summary>The Huffman tables defined so far (DHT), as the decoding procedure of ITU T.81 F.2.2.3 wants them.</summary>
internal sealed class JpegHuffmanTables
{
    private readonly JpegHuffmanTable?[] _tables = new JpegHuffmanTable?[8];

    public JpegHuffmanTable Get(int tableClass, int id) =>
        (id < 4 ? _tables[tableClass * 4 + id] : null) ?? throw JpegIntegrity.Broken("a scan uses an undefined Huffman table");

    public void Define(ReadOnlySpan<byte> segment)
    {
        while (segment.Length >= 17)
        {
            int tableClass = segment[0] >> 4, id = segment[0] & 15;
            var lengths = segment.Slice(1, 16);
            int total = 0;
            foreach (byte count in lengths)
            {
                total += count;
            }

            if (tableClass > 1 || id > 3 || segment.Length < 17 + total)
            {
                throw JpegIntegrity.Broken("a Huffman table definition is malformed");
            }

            _tables[tableClass * 4 + id] = new JpegHuffmanTable(lengths, segment.Slice(17, total).ToArray());
            segment = segment[(17 + total)..];
        }
    }
}

internal sealed class JpegHuffmanTable
{
    public JpegHuffmanTable(ReadOnlySpan<byte> lengths, byte[] values)
    {
        Values = values;
        int code = 0, index = 0;
        for (int length = 1; length <= 16; length++)
        {
            int count = lengths[length - 1];
            ValuePointer[length] = index;
            MinCode[length] = code;
            MaxCode[length] = count == 0 ? -1 : code + count - 1;
            code = (code + count) << 1;
            index += count;
        }
    }

    public byte[] Values { get; }

    public int[] MinCode { get; } = new int[17];

    public int[] MaxCode { get; } = new int[17];

    public int[] ValuePointer { get; } = new int[17];
}
