using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.App.Tests.Infrastructure;

/// <summary>Tile files for tests: real H&amp;E tiles from ../shared, blurred copies, background, and broken inputs.</summary>
public static class TestTiles
{
    public const string SharpFile = "tcga-histolab-tissue-level0-4302-10273-4814-10785.png";
    public const string SecondSharpFile = "tcga-mopadi-tcga-ad-6964-01z-00-dx1-tile-16896-20480.png";
    public const string BackgroundFile = "background-histolab-no-tissue.png";

    private static readonly Lazy<byte[]> SharpBytes = new(() => Shared(SharpFile));
    private static readonly Lazy<byte[]> SecondSharpBytes = new(() => Shared(SecondSharpFile));
    private static readonly Lazy<byte[]> DefocusedBytes = new(() => Blur(SharpBytes.Value, 4));
    private static readonly Lazy<byte[]> SecondDefocusedBytes = new(() => Blur(SecondSharpBytes.Value, 4));

    public static byte[] Sharp => SharpBytes.Value;

    public static byte[] SecondSharp => SecondSharpBytes.Value;

    /// <summary>The sharp tile through a Gaussian blur of sigma 4 px: what a tile scanned far from focus looks like.</summary>
    public static byte[] Defocused => DefocusedBytes.Value;

    public static byte[] SecondDefocused => SecondDefocusedBytes.Value;

    public static byte[] Background => Shared(BackgroundFile);

    /// <summary>The first 40 % of a valid PNG: the header is fine, the pixel data stops.</summary>
    public static byte[] Truncated => Sharp[..(Sharp.Length * 2 / 5)];

    public static byte[] Empty => [];

    public static byte[] Text => Encoding.UTF8.GetBytes("This is a text file that someone named tile.png.\n");

    /// <summary>A PNG whose header declares 100000 x 100000 pixels (a decompression bomb's calling card).</summary>
    public static byte[] HugeHeader
    {
        get
        {
            var png = new MemoryStream();
            png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, 100_000);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 100_000);
            header[8] = 8; // bit depth
            header[9] = 2; // RGB
            WriteChunk(png, "IHDR", header);
            WriteChunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
            WriteChunk(png, "IEND", []);
            return png.ToArray();
        }
    }

    public static byte[] Shared(string file) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Histology, file));

    private static byte[] Blur(byte[] png, float sigma)
    {
        using var image = Image.Load(png);
        image.Mutate(x => x.GaussianBlur(sigma));
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
