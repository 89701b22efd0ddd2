using FocusFunctions.Core.Scoring;
using FocusFunctions.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class PngIntegrityTests
{
    private static readonly byte[] Png = CreatePng();

    [Fact]
    public void ThrowIfTruncated_CompletePng_DoesNotThrow()
    {
        PngIntegrity.ThrowIfTruncated(Png);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.9)]
    public void ThrowIfTruncated_PngCutShort_ThrowsTileDecodeException(double keep)
    {
        var error = Assert.Throws<TileDecodeException>(() => PngIntegrity.ThrowIfTruncated(Png.AsSpan(0, (int)(Png.Length * keep))));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void ThrowIfTruncated_PngMissingOnlyItsLastByte_Throws()
    {
        Assert.Throws<TileDecodeException>(() => PngIntegrity.ThrowIfTruncated(Png.AsSpan(0, Png.Length - 1)));
    }

    [Fact]
    public void ThrowIfTruncated_NotAPng_LeftToTheDecoder()
    {
        PngIntegrity.ThrowIfTruncated("GIF89a and so on"u8);
    }

    [Fact]
    public void Decode_TruncatedPng_ThrowsInsteadOfReturningBlankRows()
    {
        var limits = new DecodeLimits(Png.Length * 2L, 1_000_000, TiffPageSelection.First);

        Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(Png[..(Png.Length / 2)], limits));
    }

    private static byte[] CreatePng()
    {
        using var image = new Image<Rgb24>(64, 64);
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 4), (byte)(y * 4), (byte)((x ^ y) * 4));
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
