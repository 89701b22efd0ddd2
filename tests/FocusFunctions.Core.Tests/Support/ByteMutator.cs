using System.Buffers.Binary;

namespace FocusFunctions.Core.Tests.Support;

/// <summary>
/// Deterministic mutations of encoded images for the decoder fuzz test: bit flips, truncations (with an end marker put
/// back or not), inserted, duplicated and inflated chunks or segments, and huge values written over header fields.
/// </summary>
public sealed class ByteMutator(int seed)
{
    private readonly Random _random = new(seed);

    public (string Kind, byte[] Bytes) Mutate(byte[] seedFile)
    {
        int choice = _random.Next(8);
        return choice switch
        {
            0 => ("bit flips", FlipBits(seedFile, 1 + _random.Next(8))),
            1 => ("truncation", seedFile[..Math.Max(1, _random.Next(seedFile.Length))]),
            2 => ("truncation + end marker", [.. seedFile[..Math.Max(1, _random.Next(seedFile.Length))], .. EndMarker(seedFile)]),
            3 => ("inserted bytes", Insert(seedFile, _random.Next(seedFile.Length), RandomBytes(1 + _random.Next(512)))),
            4 => ("duplicated region", DuplicateRegion(seedFile)),
            5 => ("huge field", HugeField(seedFile)),
            6 => ("inserted chunk", InsertChunk(seedFile)),
            _ => ("flips + truncation", FlipBits(seedFile, 1 + _random.Next(4))[..Math.Max(1, seedFile.Length - _random.Next(seedFile.Length / 4 + 1))]),
        };
    }

    private byte[] FlipBits(byte[] data, int count)
    {
        var copy = (byte[])data.Clone();
        for (int i = 0; i < count; i++)
        {
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return copy;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Insert(byte[] data, int at, byte[] inserted) => [.. data[..at], .. inserted, .. data[at..]];

    private byte[] DuplicateRegion(byte[] data)
    {
        int start = _random.Next(data.Length), length = 1 + _random.Next(Math.Min(4096, data.Length - start));
        var region = data[start..(start + length)];
        int copies = 1 + _random.Next(16);
        return Insert(data, start, [.. Enumerable.Repeat(region, copies).SelectMany(r => r)]);
    }

    /// <summary>A 2- or 4-byte field (in the first 256 bytes, where the headers are) set to a huge or extreme value.</summary>
    private byte[] HugeField(byte[] data)
    {
        var copy = (byte[])data.Clone();
        int at = _random.Next(Math.Min(256, copy.Length - 4));
        uint[] values = [0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x0000FFFF, 0x00010000, 100_000, 0];
        uint value = values[_random.Next(values.Length)];
        if (_random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(at), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(at), (ushort)value);
        }

        return FixPngCrcs(copy);
    }

    /// <summary>A well-formed chunk (PNG, CRC correct) or segment (JPEG APPn/COM) with random or inflating content, inserted after the header.</summary>
    private byte[] InsertChunk(byte[] data)
    {
        if (IsPng(data))
        {
            string[] types = ["zTXt", "iTXt", "tEXt", "iCCP", "eXIf", "sPLT", "IDAT", "abCD"];
            string type = types[_random.Next(types.Length)];
            var content = type is "zTXt" or "iTXt" or "iCCP"
                ? TestSupport.PngHeader.CompressedTextChunk(type == "iCCP" ? "zTXt" : type, 1L << (16 + _random.Next(8)))
                : RandomBytes(_random.Next(4096));
            return TestSupport.PngHeader.WithChunkBeforeEnd(data, type, content);
        }

        if (data.Length > 2 && data[0] == 0xFF && data[1] == 0xD8)
        {
            return TestSupport.HostileFiles.JpegWithAppSegments(data, 1 + _random.Next(24));
        }

        return Insert(data, Math.Min(8, data.Length), RandomBytes(1 + _random.Next(4096)));
    }

    private static byte[] EndMarker(byte[] seedFile) => IsPng(seedFile)
        ? [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xAE, 0x42, 0x60, 0x82]
        : [0xFF, 0xD9];

    private static bool IsPng(byte[] data) => data.Length > 8 && data[0] == 0x89 && data[1] == (byte)'P';

    /// <summary>Recomputes every PNG chunk's CRC, so a mutated header reaches the decoder instead of failing its checksum.</summary>
    private static byte[] FixPngCrcs(byte[] data)
    {
        if (!IsPng(data))
        {
            return data;
        }

        long offset = 8;
        while (offset + 12 <= data.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan((int)offset));
            if (offset + 12 + length > data.Length)
            {
                break;
            }

            var typeAndData = data.AsSpan((int)offset + 4, (int)length + 4);
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan((int)(offset + 8 + length)), TestSupport.PngHeader.Crc32(typeAndData));
            offset += 12 + length;
        }

        return data;
    }
}
