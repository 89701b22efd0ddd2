namespace FocusFunctions.Core.Imaging;

/// <summary>
/// Walks one Huffman-coded sequential scan symbol by symbol (no coefficient is computed) and fails when a marker or
/// the end of the data comes before the scan's last MCU: the sign of a JPEG cut short, end marker appended or not.
/// </summary>
internal ref struct JpegScanWalker
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly JpegFrame _frame;
    private readonly JpegScan _scan;
    private readonly JpegHuffmanTables _tables;
    private readonly int _restartInterval;
    private int _position;
    private int _bits;
    private int _bitCount;
    private long _mcu;
    private long _mcus;

    public JpegScanWalker(ReadOnlySpan<byte> data, int position, JpegFrame frame, JpegScan scan, JpegHuffmanTables tables, int restartInterval)
    {
        _data = data;
        _position = position;
        _frame = frame;
        _scan = scan;
        _tables = tables;
        _restartInterval = restartInterval;
    }

    /// <summary>Returns the position of the marker that follows the scan.</summary>
    public int Walk()
    {
        var blocks = BlocksPerMcu(out _mcus);
        var dc = new JpegHuffmanTable[blocks.Length];
        var ac = new JpegHuffmanTable[blocks.Length];
        for (int b = 0; b < blocks.Length; b++)
        {
            int i = blocks[b];
            dc[b] = _tables.Get(0, _scan.DcTables[i]);
            ac[b] = _tables.Get(1, _scan.AcTables[i]);
        }

        for (_mcu = 0; _mcu < _mcus; _mcu++)
        {
            if (_restartInterval > 0 && _mcu > 0 && _mcu % _restartInterval == 0)
            {
                ExpectRestartMarker();
            }

            for (int b = 0; b < blocks.Length; b++)
            {
                SkipBlock(dc[b], ac[b]);
            }
        }

        return JpegIntegrity.SkipEntropyCodedData(_data, _position);
    }

    /// <summary>For each block of one MCU, the index of its component within the scan.</summary>
    private readonly int[] BlocksPerMcu(out long mcus)
    {
        int hMax = _frame.MaxHorizontal, vMax = _frame.MaxVertical;
        if (_scan.Components.Length == 1)
        {
            // A non-interleaved scan codes one block per MCU, over the component's own (subsampled) size.
            var c = _frame.Components[_scan.Components[0]];
            long width = CeilDiv((long)_frame.Width * c.Horizontal, hMax), height = CeilDiv((long)_frame.Height * c.Vertical, vMax);
            mcus = CeilDiv(width, 8) * CeilDiv(height, 8);
            return [0];
        }

        mcus = CeilDiv(_frame.Width, 8L * hMax) * CeilDiv(_frame.Height, 8L * vMax);
        var blocks = new List<int>();
        for (int i = 0; i < _scan.Components.Length; i++)
        {
            var c = _frame.Components[_scan.Components[i]];
            blocks.AddRange(Enumerable.Repeat(i, c.Horizontal * c.Vertical));
        }

        return [.. blocks];
    }

    private void SkipBlock(JpegHuffmanTable dc, JpegHuffmanTable ac)
    {
        SkipBits(Decode(dc));
        for (int k = 1; k < 64; k++)
        {
            int symbol = Decode(ac);
            int run = symbol >> 4, size = symbol & 15;
            if (size == 0)
            {
                if (run != 15)
                {
                    return; // end of block
                }

                k += 15;
                continue;
            }

            k += run;
            SkipBits(size);
        }
    }

    private int Decode(JpegHuffmanTable table)
    {
        int code = 0;
        for (int length = 1; length <= 16; length++)
        {
            code = (code << 1) | ReadBit();
            if (code <= table.MaxCode[length])
            {
                return table.Values[table.ValuePointer[length] + code - table.MinCode[length]];
            }
        }

        throw JpegIntegrity.Broken($"a Huffman code in MCU {_mcu:N0} of a scan is not in its table");
    }

    private void SkipBits(int count)
    {
        for (int i = 0; i < count; i++)
        {
            ReadBit();
        }
    }

    private int ReadBit()
    {
        if (_bitCount == 0)
        {
            if (_position >= _data.Length)
            {
                throw CutShort();
            }

            int value = _data[_position];
            if (value == 0xFF)
            {
                if (_position + 1 >= _data.Length || _data[_position + 1] != 0x00)
                {
                    throw CutShort(); // a marker inside the scan's data
                }

                _position++;
            }

            _position++;
            _bits = value;
            _bitCount = 8;
        }

        _bitCount--;
        return (_bits >> _bitCount) & 1;
    }

    private void ExpectRestartMarker()
    {
        _bitCount = 0; // the rest of the byte is padding
        while (_position + 1 < _data.Length && _data[_position] == 0xFF && _data[_position + 1] == 0xFF)
        {
            _position++;
        }

        if (_position + 1 < _data.Length && _data[_position] == 0xFF && _data[_position + 1] is >= 0xD0 and <= 0xD7)
        {
            _position += 2;
            return;
        }

        throw _position + 1 >= _data.Length || _data[_position] == 0xFF
            ? CutShort()
            : JpegIntegrity.Broken($"the restart marker before MCU {_mcu:N0} of a scan is missing");
    }

    private readonly TileDecodeException CutShort() =>
        JpegIntegrity.Truncated($"a scan's entropy-coded data ends after {_mcu:N0} of its {_mcus:N0} MCUs");

    private static long CeilDiv(long value, long divisor) => (value + divisor - 1) / divisor;
}
