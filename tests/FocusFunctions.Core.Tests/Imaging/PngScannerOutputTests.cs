using SixLabors.ImageSharp.Formats.Png;

namespace FocusFunctions.Core.Tests.Imaging;

/// <summary>Issue 24 item 3 for PNG: trailers after IEND are accepted, image data cut short is refused.</summary>
public class PngScannerOutputTests
{
    private static readonly DecodeLimits Limits = new(64L * 1024 * 1024, 50_000_000, TiffPageSelection.First);

    [Fact]
    public void Decode_PngWithATrailerAfterIend_DecodesAsWithout()
    {
        var png = Png();

        var withTrailer = TileDecoder.Decode([.. png, .. "SCANNER-TRAILER"u8, .. new byte[4096]], Limits);

        Assert.Equal(TileDecoder.Decode(png, Limits).Image.Pixels, withTrailer.Image.Pixels);
    }

    [Fact]
    public void Decode_PngCutInsideIdatWithIendAppended_IsRefused()
    {
        var png = Png();

        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode([.. png[..(png.Length / 2)], .. png[^12..]], Limits));

        Assert.Contains("truncated", error.Message);
    }

    private static byte[] Png()
    {
        using var source = TestImages.Texture(200, 150);
        return TestImages.Encode(source, new PngEncoder());
    }
}
