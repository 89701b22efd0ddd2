using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.TestSupport;

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
    public static byte[] HugeHeader => PngHeader.Declaring(100_000, 100_000);

    public static byte[] Shared(string file) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Histology, file));

    /// <summary>The pixel <see cref="Marked"/> paints at a tile's top-left corner, which <see cref="FaultingFocusModel"/> recognises.</summary>
    public static readonly (byte R, byte G, byte B) Marker = (7, 11, 13);

    /// <summary>A copy of a tile whose top-left pixel is <see cref="Marker"/>: it scores as before, and a faulting model can single it out.</summary>
    public static byte[] Marked(byte[] png)
    {
        using var image = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(png);
        image[0, 0] = new SixLabors.ImageSharp.PixelFormats.Rgb24(Marker.R, Marker.G, Marker.B);
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>Eosin pink, haematoxylin purple and a mid grey: stain washes with nothing in them to read focus from.</summary>
    public static readonly IReadOnlyDictionary<string, (byte R, byte G, byte B)> Stains = new Dictionary<string, (byte R, byte G, byte B)>
    {
        ["eosin"] = (235, 150, 200),
        ["haematoxylin"] = (120, 90, 170),
        ["grey"] = (150, 150, 150),
    };

    /// <summary>
    /// A flat tile of one stain colour with sensor noise (Gaussian, sigma <paramref name="noise"/> grey levels per
    /// channel) saved as JPEG: tissue by colour, yet without structure, so a model has nothing to read defocus from.
    /// </summary>
    public static byte[] FlatStain(string stain, int size = 512, double noise = 3, int quality = 85, int seed = 1)
    {
        var (r, g, b) = Stains[stain];
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        byte Noisy(byte value) => (byte)Math.Clamp(Math.Round(value + noise * Gaussian()), 0, 255);
        using var image = new Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(size, size);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                image[x, y] = new SixLabors.ImageSharp.PixelFormats.Rgb24(Noisy(r), Noisy(g), Noisy(b));
            }
        }

        using var output = new MemoryStream();
        image.SaveAsJpeg(output, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = quality });
        return output.ToArray();
    }

    private static byte[] Blur(byte[] png, float sigma)
    {
        using var image = Image.Load(png);
        image.Mutate(x => x.GaussianBlur(sigma));
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }
}
