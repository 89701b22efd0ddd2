using System.Buffers.Binary;

namespace FocusFunctions.Core.Tests.Support;

/// <summary>
/// Writes a minimal little-endian, uncompressed, multi-page RGB TIFF (a z-stack), which ImageSharp 2.1 cannot encode.
/// </summary>
public static class TiffWriter
{
    public static byte[] MultiPage(IReadOnlyList<RgbImage> pages)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write((byte)'I');
        writer.Write((byte)'I');
        writer.Write((ushort)42);
        long firstIfdPointer = stream.Position;
        writer.Write(0u);

        long previousNextPointer = firstIfdPointer;
        foreach (var page in pages)
        {
            // Pixel data, then the bits-per-sample array, then the IFD that points at both.
            uint dataOffset = (uint)stream.Position;
            writer.Write(page.Pixels);
            if (stream.Position % 2 == 1)
            {
                writer.Write((byte)0);
            }

            uint bitsOffset = (uint)stream.Position;
            writer.Write((ushort)8);
            writer.Write((ushort)8);
            writer.Write((ushort)8);

            uint ifdOffset = (uint)stream.Position;
            Patch(stream, previousNextPointer, ifdOffset);
            (ushort Tag, ushort Type, uint Count, uint Value)[] entries =
            [
                (256, 4, 1, (uint)page.Width),          // ImageWidth
                (257, 4, 1, (uint)page.Height),         // ImageLength
                (258, 3, 3, bitsOffset),                // BitsPerSample 8,8,8
                (259, 3, 1, 1),                         // Compression: none
                (262, 3, 1, 2),                         // Photometric: RGB
                (273, 4, 1, dataOffset),                // StripOffsets
                (277, 3, 1, 3),                         // SamplesPerPixel
                (278, 4, 1, (uint)page.Height),         // RowsPerStrip
                (279, 4, 1, (uint)page.Pixels.Length),  // StripByteCounts
                (284, 3, 1, 1),                         // PlanarConfiguration: chunky
            ];
            writer.Write((ushort)entries.Length);
            foreach (var (tag, type, count, value) in entries)
            {
                writer.Write(tag);
                writer.Write(type);
                writer.Write(count);
                if (type == 3 && count == 1)
                {
                    writer.Write((ushort)value);
                    writer.Write((ushort)0);
                }
                else
                {
                    writer.Write(value);
                }
            }

            previousNextPointer = stream.Position;
            writer.Write(0u);
        }

        writer.Flush();
        return stream.ToArray();
    }

    private static void Patch(MemoryStream stream, long position, uint value)
    {
        var buffer = stream.GetBuffer();
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan((int)position, 4), value);
    }
}
