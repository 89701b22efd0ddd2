using FocusFunctions.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.Benchmarks;

/// <summary>
/// One file per input class of issue 24, generated (never taken from ../shared): a real tile, a 9000×9000 image
/// inside the limits, a PNG text-chunk bomb, extreme shapes, a JPEG flooded with APPn segments and TIFF bombs. The
/// same bytes feed <see cref="HostileInputBenchmarks"/> and, written by `write-hostile-inputs`, the per-process peak
/// memory of `focus score` in scripts/benchmark.sh.
/// </summary>
public static class HostileInputs
{
    public static readonly string[] Names =
    [
        "tile-1024.png", "tile-1024.jpg", "image-9000x9000.png", "ztxt-bomb-400MB.png", "strip-1x3000000.png",
        "strip-200000x1.png", "jpeg-app-flood-1MB.jpg", "tiff-20000-pages.tif", "tiff-500M-strips.tif",
    ];

    public static byte[] Create(string name) => name switch
    {
        "tile-1024.png" => BenchmarkInputs.TilePng,
        "tile-1024.jpg" => BenchmarkInputs.TileJpeg,
        "image-9000x9000.png" => TiledImage(9000),
        "ztxt-bomb-400MB.png" => PngHeader.WithChunkBeforeEnd(BenchmarkInputs.TilePng, "zTXt", PngHeader.CompressedTextChunk("zTXt", 400L << 20)),
        "strip-1x3000000.png" => Strip(1, 3_000_000),
        "strip-200000x1.png" => Strip(200_000, 1),
        "jpeg-app-flood-1MB.jpg" => HostileFiles.JpegWithAppSegments(BenchmarkInputs.TileJpeg, 12),
        "tiff-20000-pages.tif" => HostileFiles.Tiff(20_000, 100, 100),
        "tiff-500M-strips.tif" => HostileFiles.Tiff(1, 1000, 1000, strips: 500_000_000),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an input class"),
    };

    public static void WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in Names)
        {
            File.WriteAllBytes(Path.Combine(directory, name), Create(name));
        }
    }

    /// <summary>
    /// Square PNGs of the real tile repeated, about <paramref name="megapixels"/> million pixels each, RGB
    /// (<c>square-40MP.png</c>) and the same pixels as opaque RGBA (<c>square-40MP-rgba.png</c>, the decoder's
    /// four-bytes-a-pixel path): the sizes the default pixel limit was chosen from (docs/performance.md).
    /// </summary>
    public static void WriteSquares(string directory, IEnumerable<int> megapixels)
    {
        Directory.CreateDirectory(directory);
        foreach (int mp in megapixels)
        {
            int side = (int)Math.Floor(Math.Sqrt(mp * 1_000_000.0));
            File.WriteAllBytes(Path.Combine(directory, $"square-{mp}MP.png"), TiledImage(side));
            File.WriteAllBytes(Path.Combine(directory, $"square-{mp}MP-rgba.png"), TiledImage(side, withAlpha: true));
        }
    }

    /// <summary>
    /// Real 1024×1024 tiles cut from ../shared/data/histology (never copied into the repository), PNG and JPEG q 90
    /// alternately: the ordinary part of the mixed batch `scripts/benchmark-memory.sh --batch` uploads.
    /// </summary>
    public static void WriteRealTiles(string directory)
    {
        (string File, int X, int Y)[] crops =
        [
            ("cmu1-small-region-he-skin.png", 0, 0), ("cmu1-small-region-he-skin.png", 1024, 0),
            ("cmu1-small-region-he-skin.png", 0, 1024), ("cmu1-small-region-he-skin.png", 1024, 1024),
            ("cmu1-small-region-he-skin.png", 600, 1900), ("openslide-os1-detail-he.png", 38, 38),
            ("openslide-os2-ndpi-ki67-ihc-soft.png", 0, 0), ("openslide-os2-ndpi-ki67-ihc-soft.png", 1024, 1024),
            ("openslide-os2-vsi-ki67-ihc.png", 200, 200), ("openslide-os2-vsi-ki67-ihc.png", 400, 0),
        ];
        Directory.CreateDirectory(directory);
        for (int i = 0; i < crops.Length; i++)
        {
            var (file, x, y) = crops[i];
            using var image = Image.Load<Rgb24>(Path.Combine(RepositoryPaths.Histology, file));
            image.Mutate(c => c.Crop(new Rectangle(x, y, 1024, 1024)));
            string name = Path.Combine(directory, $"real-{i:D2}.{(i % 2 == 0 ? "png" : "jpg")}");
            image.Save(name, i % 2 == 0 ? new PngEncoder() : new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 90 });
        }
    }

    /// <summary>The real tile repeated to <paramref name="size"/>² px: tissue everywhere the grid looks.</summary>
    private static byte[] TiledImage(int size, bool withAlpha = false)
    {
        using var tile = Image.Load<Rgb24>(BenchmarkInputs.TilePng);
        using var image = new Image<Rgb24>(size, size);
        image.ProcessPixelRows(tile, (rows, tileRows) =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var source = tileRows.GetRowSpan(y % tileRows.Height);
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x += source.Length)
                {
                    source[..Math.Min(source.Length, row.Length - x)].CopyTo(row[x..]);
                }
            }
        });
        if (withAlpha)
        {
            using var rgba = image.CloneAs<Rgba32>();
            using var stream = new MemoryStream();
            rgba.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed, ColorType = PngColorType.RgbWithAlpha });
            return stream.ToArray();
        }

        return Encode(image);
    }

    /// <summary>A one-pixel strip that compresses to a few KB.</summary>
    private static byte[] Strip(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(200, 120, 170));
        return Encode(image);
    }

    private static byte[] Encode(Image image)
    {
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });
        return stream.ToArray();
    }
}
