using System.Buffers.Binary;
using System.IO.Compression;

namespace FocusFunctions.TestSupport;

/// <summary>PNG chunks written by hand: a header announcing any size, or an extra chunk in a valid PNG.</summary>
public static class PngHeader
{
    public static byte[] Declaring(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type RGB
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary><paramref name="png"/> with one more chunk (correct length and CRC) inserted just before IEND.</summary>
    public static byte[] WithChunkBeforeEnd(byte[] png, string type, byte[] data)
    {
        const int IendLength = 12;  // length, "IEND", CRC
        using var stream = new MemoryStream();
        stream.Write(png, 0, png.Length - IendLength);
        WriteChunk(stream, type, data);
        stream.Write(png, png.Length - IendLength, IendLength);
        return stream.ToArray();
    }

    /// <summary><paramref name="png"/> with one more chunk inserted right after IHDR (before the image data).</summary>
    public static byte[] WithChunkAfterHeader(byte[] png, string type, byte[] data)
    {
        const int HeaderEnd = 8 + 12 + 13;  // signature, then IHDR: length, type, 13 bytes of data, CRC
        using var stream = new MemoryStream();
        stream.Write(png, 0, HeaderEnd);
        WriteChunk(stream, type, data);
        stream.Write(png, HeaderEnd, png.Length - HeaderEnd);
        return stream.ToArray();
    }

    /// <summary>
    /// The data of a zTXt or iTXt chunk whose zlib stream inflates to <paramref name="inflatedBytes"/> zeros (zeros
    /// compress about 1000:1, so a few hundred MB of text fits in a few hundred KB).
    /// </summary>
    public static byte[] CompressedTextChunk(string chunkType, long inflatedBytes)
    {
        using var chunk = new MemoryStream();
        chunk.Write("Comment\0"u8);
        if (chunkType == "iTXt")
        {
            chunk.Write([1, 0, 0, 0]);  // compressed, zlib, empty language tag, empty translated keyword
        }
        else
        {
            chunk.WriteByte(0);  // zlib
        }

        using (var zlib = new ZLibStream(chunk, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < inflatedBytes; written += zeros.Length)
            {
                zlib.Write(zeros, 0, (int)Math.Min(zeros.Length, inflatedBytes - written));
            }
        }

        return chunk.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    /// <summary>The CRC-32 of a PNG chunk (over its type and data).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
