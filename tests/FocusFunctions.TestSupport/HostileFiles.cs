using System.Buffers.Binary;

namespace FocusFunctions.TestSupport;

/// <summary>Hostile JPEG and TIFF files written by hand (issue 24): metadata floods, strip-count and page-count bombs.</summary>
public static class HostileFiles
{
    /// <summary>
    /// <paramref name="jpeg"/> with <paramref name="segments"/> full-size (64 KiB) APPn segments after its SOI,
    /// cycling through EXIF (APP1), ICC profile chunks (APP2), XMP (APP1) and IPTC (APP13).
    /// </summary>
    public static byte[] JpegWithAppSegments(byte[] jpeg, int segments)
    {
        using var stream = new MemoryStream();
        stream.Write(jpeg, 0, 2);
        var payload = new byte[65533];
        for (int i = 0; i < segments; i++)
        {
            (byte marker, byte[] prefix) = (i % 4) switch
            {
                0 => ((byte)0xE1, "Exif\0\0II*\0\u0008\0\0\0"u8.ToArray()),
                1 => ((byte)0xE2, [.. "ICC_PROFILE\0"u8, (byte)(1 + i / 4 % 255), 255]),
                2 => ((byte)0xE1, "http://ns.adobe.com/xap/1.0/\0"u8.ToArray()),
                _ => ((byte)0xED, "Photoshop 3.0\08BIM"u8.ToArray()),
            };
            Array.Fill(payload, (byte)0x7F);
            prefix.CopyTo(payload, 0);
            stream.Write([0xFF, marker, 0xFF, 0xFF]);  // length 65535: the two length bytes and 65533 of payload
            stream.Write(payload);
        }

        stream.Write(jpeg, 2, jpeg.Length - 2);
        return stream.ToArray();
    }

    /// <summary>
    /// A little-endian greyscale TIFF of <paramref name="pages"/> pages, each declaring <paramref name="width"/>×<paramref name="height"/>
    /// with <paramref name="strips"/> strips; all pages share 64 bytes of pixel data, so the file holds far less than it declares.
    /// <paramref name="extraTag"/> adds one more entry (tag, type, count, value or offset) to every page.
    /// </summary>
    public static byte[] Tiff(int pages, uint width, uint height, uint strips = 1, (ushort Tag, ushort Type, uint Count, uint Value)? extraTag = null)
    {
        const uint DataOffset = 8;
        var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value)>
        {
            (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
            (273, 4, strips, DataOffset), (277, 3, 1, 1), (278, 4, 1, Math.Max(1, height / strips)), (279, 4, strips, DataOffset),
        };
        if (extraTag is { } extra)
        {
            entries.Add(extra);
            entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        }

        int ifdSize = 2 + 12 * entries.Count + 4;
        var file = new byte[DataOffset + 64 + (long)ifdSize * pages];
        "II"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), DataOffset + 64);
        for (int page = 0; page < pages; page++)
        {
            var ifd = file.AsSpan((int)(DataOffset + 64 + (long)ifdSize * page), ifdSize);
            BinaryPrimitives.WriteUInt16LittleEndian(ifd, (ushort)entries.Count);
            for (int e = 0; e < entries.Count; e++)
            {
                var entry = ifd.Slice(2 + 12 * e, 12);
                BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[e].Tag);
                BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[e].Type);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], entries[e].Count);
                if (entries[e].Type == 3 && entries[e].Count == 1)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(entry[8..], (ushort)entries[e].Value);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[e].Value);
                }
            }

            uint next = page + 1 < pages ? (uint)(DataOffset + 64 + (long)ifdSize * (page + 1)) : 0;
            BinaryPrimitives.WriteUInt32LittleEndian(ifd[(ifdSize - 4)..], next);
        }

        return file;
    }
}
