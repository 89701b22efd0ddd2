using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Tests.Imaging;

public class TileDecoderTests
{
    private static readonly DecodeLimits Limits = new(64L * 1024 * 1024, 50_000_000, TiffPageSelection.First);

    [Fact]
    public void Decode_Png_KeepsExactPixels()
    {
        using var source = TestImages.Texture(37, 23);
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new PngEncoder()), Limits);

        Assert.Equal("PNG", decoded.Format);
        Assert.Equal(TestImages.ToRgb(source).Pixels, decoded.Image.Pixels);
    }

    [Fact]
    public void Decode_Bmp_KeepsExactPixels()
    {
        using var source = TestImages.Texture(19, 11);
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }), Limits);

        Assert.Equal(TestImages.ToRgb(source).Pixels, decoded.Image.Pixels);
    }

    [Fact]
    public void Decode_Tiff_KeepsExactPixels()
    {
        using var source = TestImages.Texture(21, 17);
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new TiffEncoder()), Limits);

        Assert.Equal("TIFF", decoded.Format);
        Assert.Equal(TestImages.ToRgb(source).Pixels, decoded.Image.Pixels);
    }

    [Fact]
    public void Decode_Jpeg_IsCloseToSource()
    {
        using var source = new Image<Rgb24>(64, 64, new Rgb24(200, 120, 170));
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new JpegEncoder { Quality = 95 }), Limits);

        Assert.Equal("JPEG", decoded.Format);
        Assert.All(decoded.Image.Pixels.Chunk(3), p => Assert.InRange(Math.Abs(p[0] - 200) + Math.Abs(p[1] - 120) + Math.Abs(p[2] - 170), 0, 12));
    }

    [Fact]
    public void Decode_GrayscalePng_BecomesEqualRgbChannels()
    {
        using var source = new Image<L8>(8, 4, new L8(77));
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Grayscale }), Limits);

        Assert.All(decoded.Image.Pixels, v => Assert.Equal(77, v));
    }

    [Fact]
    public void Decode_PalettePng_MapsToRgb()
    {
        using var source = new Image<Rgb24>(8, 8, new Rgb24(10, 200, 30));
        var png = TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Palette });
        var decoded = TileDecoder.Decode(png, Limits);

        Assert.Equal([10, 200, 30], decoded.Image.Pixels.Take(3).Select(b => (int)b));
    }

    [Fact]
    public void Decode_SixteenBitPng_ScalesToEightBits()
    {
        using var source = new Image<Rgb48>(4, 4, new Rgb48(65535, 32896, 0));
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb }), Limits);

        Assert.Equal([255, 128, 0], decoded.Image.Pixels.Take(3).Select(b => (int)b));
    }

    [Fact]
    public void Decode_SixteenBitGrayTiff_ScalesToEightBits()
    {
        using var source = new Image<L16>(4, 4, new L16(257 * 90));
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit16 }), Limits);

        Assert.All(decoded.Image.Pixels, v => Assert.Equal(90, v));
    }

    [Fact]
    public void Decode_Alpha_IsCompositedOnWhite()
    {
        using var source = new Image<Rgba32>(2, 1);
        source[0, 0] = new Rgba32(0, 0, 0, 0);
        source[1, 0] = new Rgba32(0, 100, 200, 128);
        var decoded = TileDecoder.Decode(TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }), Limits);

        Assert.Equal([255, 255, 255], decoded.Image.Pixels[..3].Select(b => (int)b));
        Assert.Equal([127, 177, 227], decoded.Image.Pixels[3..].Select(b => (int)b));
    }

    [Fact]
    public void Decode_RgbAndOpaqueRgbaEncodingsOfTheSamePixels_DecodeIdentically()
    {
        // The RGB file takes the three-bytes-a-pixel path, the RGBA one the composite on white: same values.
        using var source = TestImages.Texture(67, 41);
        using var rgba = source.CloneAs<Rgba32>();
        byte[] rgbPng = TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Rgb });
        byte[] rgbaPng = TestImages.Encode(rgba, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        Assert.True(PngIntegrity.IsOpaque(rgbPng));
        Assert.False(PngIntegrity.IsOpaque(rgbaPng));

        var fromRgb = TileDecoder.Decode(rgbPng, Limits);
        var fromRgba = TileDecoder.Decode(rgbaPng, Limits);

        Assert.Equal(fromRgba.Image.Pixels, fromRgb.Image.Pixels);
        Assert.Equal(TestImages.ToRgb(source).Pixels, fromRgb.Image.Pixels);
    }

    public static TheoryData<string> OpaqueEncodings => ["png-rgb", "png-rgb16", "png-grey", "png-palette", "jpeg-420", "jpeg-444", "jpeg-grey", "bmp-24"];

    [Theory]
    [MemberData(nameof(OpaqueEncodings))]
    public void Decode_FileWithoutAlpha_MatchesTheRgbaPathExactly(string encoding)
    {
        using var source = TestImages.Texture(83, 59);
        byte[] file = encoding switch
        {
            "png-rgb" => TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Rgb }),
            "png-rgb16" => TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit16 }),
            "png-grey" => TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Grayscale }),
            "png-palette" => TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Palette }),
            "jpeg-420" => TestImages.Encode(source, new JpegEncoder { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 }),
            "jpeg-444" => TestImages.Encode(source, new JpegEncoder { Quality = 95, ColorType = JpegColorType.YCbCrRatio444 }),
            "jpeg-grey" => TestImages.Encode(source, new JpegEncoder { Quality = 90, ColorType = JpegColorType.Luminance }),
            "bmp-24" => TestImages.Encode(source, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
        };

        var fast = TileDecoder.Decode(file, Limits);
        var viaRgba = TileDecoder.DecodeThroughRgba(file, Limits);

        Assert.Equal(viaRgba.Image.Pixels, fast.Image.Pixels);
        Assert.Equal((viaRgba.Format, viaRgba.PageCount), (fast.Format, fast.PageCount));
    }

    [Fact]
    public void Decode_FileWithoutAlpha_HoldsItsPixelsOnce()
    {
        // The decoder's Rgb24 frame is the tile's array: three bytes a pixel are allocated, not six (frame and a copy).
        using var source = TestImages.Texture(1000, 700);
        byte[] png = TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Rgb });
        TileDecoder.Decode(png, Limits);  // warm-up: the formats and their allocator are made once

        long before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = TileDecoder.Decode(png, Limits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(TestImages.ToRgb(source).Pixels, decoded.Image.Pixels);
        // The PNG decoder reads its chunks into buffers from the same allocator: about the file's size on top.
        Assert.InRange(allocated, 3 * 700_000, 3 * 700_000 + png.Length + 700_000);
    }

    [Fact]
    public void Decode_PngWithTransparentColour_StaysOnTheCompositePath()
    {
        // A tRNS chunk makes one RGB colour transparent: it must come out white, not as its colour.
        using var source = new Image<Rgb24>(4, 1, new Rgb24(10, 20, 30));
        byte[] png = PngHeader.WithChunkAfterHeader(
            TestImages.Encode(source, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 }), "tRNS", [0, 10, 0, 20, 0, 30]);

        Assert.False(PngIntegrity.IsOpaque(png));
        var decoded = TileDecoder.Decode(png, Limits);

        Assert.All(decoded.Image.Pixels, v => Assert.Equal(255, v));
    }

    [Fact]
    public void CompositeOnWhite_VectorisedRuns_MatchThePerPixelFormula()
    {
        // Runs of eight opaque or translucent pixels (alpha 0–255), random colours, every row length up to 40 and one
        // long row: the shuffled runs, the runs that fall back to the formula and the tail all occur.
        var random = new Random(5);
        var pixels = new Rgba32[256 * 256];
        for (int i = 0; i < pixels.Length; i++)
        {
            byte alpha = (i / 8) % 3 == 0 ? (byte)(i & 255) : (byte)255;
            pixels[i] = new Rgba32((byte)(i >> 8), (byte)random.Next(256), (byte)random.Next(256), alpha);
        }

        foreach (int length in Enumerable.Range(0, 41).Append(pixels.Length))
        {
            var row = pixels.AsSpan(0, length);
            var vectorised = new byte[3 * length];
            var scalar = new byte[3 * length];
            RgbaOnWhite.Composite(row, vectorised);
            CompositeOnWhiteByTheFormula(row, scalar);
            Assert.Equal(scalar, vectorised);
        }

        var opaque = new Rgba32(10, 20, 30, 255);
        var half = new Rgba32(0, 100, 200, 128);
        var output = new byte[15];
        RgbaOnWhite.Composite(new[] { opaque, opaque, opaque, opaque, half }, output);
        Assert.Equal([10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30, 127, 177, 227], output.Select(b => (int)b));
    }

    [Fact]
    public void Decode_MultiPageTiff_TakesFirstPageByDefault()
    {
        var pages = ZStack();
        var decoded = TileDecoder.Decode(TiffWriter.MultiPage(pages), Limits);

        Assert.Equal(0, decoded.PageUsed);
        Assert.Equal(pages[0].Pixels, decoded.Image.Pixels);
    }

    [Fact]
    public void Decode_MultiPageTiff_SharpestPicksLargestStandardDeviation()
    {
        var pages = ZStack();
        var decoded = TileDecoder.Decode(TiffWriter.MultiPage(pages), Limits with { TiffPage = TiffPageSelection.Sharpest });

        Assert.Equal(3, decoded.PageCount);
        Assert.Equal(1, decoded.PageUsed);
        Assert.Equal(pages[1].Pixels, decoded.Image.Pixels);
    }

    [Fact]
    public void Decode_ZStackTooLargeForTheLimit_IsRefusedBeforeDecodingItsPages()
    {
        var pages = Enumerable.Range(0, 6).Select(_ => TestImages.Solid(100, 100, 200, 120, 170)).ToList();

        var error = Assert.Throws<TileDecodeException>(() =>
            TileDecoder.Decode(TiffWriter.MultiPage(pages), Limits with { TiffPage = TiffPageSelection.Sharpest, MaxPixels = 10_000 }));
        Assert.Contains("6 pages", error.Message);
    }

    [Fact]
    public void CountPages_MultiPageTiff_FollowsTheChain()
    {
        Assert.Equal(3, TiffPages.Count(TiffWriter.MultiPage(ZStack())));
        Assert.Null(TiffPages.Count("II*\0garbage"u8));
    }

    [Fact]
    public void Decode_HeaderDeclaringHugeImage_IsRefusedBeforeDecoding()
    {
        var bomb = PngHeader.Declaring(100_000, 100_000);

        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(bomb, Limits));
        Assert.Contains("100000x100000", error.Message);
        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public void Decode_TooManyBytes_IsRefused()
    {
        using var source = TestImages.Texture(64, 64);
        var png = TestImages.Encode(source, new PngEncoder());

        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(new MemoryStream(png), Limits with { MaxBytes = 100 }));
        Assert.Contains("limit", error.Message);
    }

    [Fact]
    public void Decode_NonSeekableStreamOverLimit_IsRefused()
    {
        using var source = TestImages.Texture(64, 64);
        var png = TestImages.Encode(source, new PngEncoder());

        Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(new ForwardOnlyStream(png), Limits with { MaxBytes = 100 }));
    }

    [Fact]
    public void Decode_EmptyFile_SaysEmpty()
    {
        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode([], Limits));
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Decode_TextNamedPng_SaysNotAnImage()
    {
        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode("hello, I am not a picture"u8.ToArray(), Limits));
        Assert.Contains("Not a supported image", error.Message);
    }

    [Fact]
    public void Decode_Gif_IsNotSupported()
    {
        using var source = TestImages.Texture(8, 8);
        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(TestImages.Encode(source, new GifEncoder()), Limits));
        Assert.Contains("PNG, JPEG, TIFF or BMP", error.Message);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void Decode_TruncatedFile_SaysCorrupt(string format)
    {
        using var source = TestImages.Texture(200, 200);
        var full = TestImages.Encode(source, format == "png" ? new PngEncoder() : new JpegEncoder());
        var truncated = full[..(full.Length / 3)];

        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(truncated, Limits));
        Assert.Contains("truncated", error.Message);
    }

    private static List<RgbImage> ZStack()
    {
        // Page 1 is the textured (sharp) slice; its neighbours are flatter versions of it.
        using var sharp = TestImages.Texture(24, 16, seed: 5);
        var sharpRgb = TestImages.ToRgb(sharp);
        RgbImage Flatten(double keep) => new(24, 16, sharpRgb.Pixels.Select(v => (byte)(160 + (v - 160) * keep)).ToArray());
        return [Flatten(0.3), sharpRgb, Flatten(0.6)];
    }

    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    /// <summary>RGBA on white, pixel by pixel, as the rule is written: alpha-weighted with white, rounded to nearest.</summary>
    private static void CompositeOnWhiteByTheFormula(ReadOnlySpan<Rgba32> row, Span<byte> rgb)
    {
        for (int i = 0; i < row.Length; i++)
        {
            var px = row[i];
            int a = px.A, white = 255 * (255 - a);
            rgb[3 * i] = (byte)((px.R * a + white + 127) / 255);
            rgb[3 * i + 1] = (byte)((px.G * a + white + 127) / 255);
            rgb[3 * i + 2] = (byte)((px.B * a + white + 127) / 255);
        }
    }
}
