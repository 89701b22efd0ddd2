using SixLabors.ImageSharp.Formats.Jpeg;
using Xunit.Abstractions;

namespace FocusFunctions.Core.Tests.Imaging;

/// <summary>Issue 24 item 1: JPEG and TIFF metadata and structure built to exhaust memory are skipped or refused within a small budget.</summary>
public class HostileMetadataTests(ITestOutputHelper output)
{
    private const long Budget = 64L * 1024 * 1024;

    private static readonly DecodeLimits Limits = new(64L * 1024 * 1024, 50_000_000, TiffPageSelection.First);

    [Fact]
    public void Decode_JpegWith160FullSizeAppSegments_DecodesAsWithoutThem()
    {
        using var source = TestImages.Texture(120, 80);
        var jpeg = TestImages.Encode(source, new JpegEncoder { Quality = 90 });
        var flooded = HostileFiles.JpegWithAppSegments(jpeg, 160);
        Assert.True(flooded.Length > 10_000_000);

        var (decoded, allocated) = Measure(() => TileDecoder.Decode(flooded, Limits));

        Assert.Equal(TileDecoder.Decode(jpeg, Limits).Image.Pixels, decoded!.Image.Pixels);
        Assert.True(allocated < Budget, $"decoding allocated {allocated:N0} bytes");
    }

    public static TheoryData<string> HostileTiffs => ["strip-count", "pages-small", "pages-large", "page-count-sharpest", "ascii-tag", "short-strips", "one-large-page"];

    [Theory]
    [MemberData(nameof(HostileTiffs))]
    public void Decode_HostileTiff_IsRefusedOrDecodedWithinTheBudget(string kind)
    {
        var (tiff, limits) = HostileTiff(kind);

        TileDecodeException? refused = null;
        var (decoded, allocated) = Measure(() =>
        {
            try
            {
                return TileDecoder.Decode(tiff, limits);
            }
            catch (TileDecodeException ex)
            {
                refused = ex;
                return null;
            }
        });

        output.WriteLine($"{kind}: {tiff.Length:N0} bytes, {allocated:N0} allocated, {refused?.Message ?? $"decoded {decoded!.Image.Width}x{decoded.Image.Height}"}");
        Assert.True(allocated < Budget, $"decoding allocated {allocated:N0} bytes");
    }

    internal static (byte[] Tiff, DecodeLimits Limits) HostileTiff(string kind) => kind switch
    {
        // StripOffsets and StripByteCounts claiming 500 million entries (4 GB of offsets) in a file of a few hundred bytes.
        "strip-count" => (HostileFiles.Tiff(1, 1000, 1000, strips: 500_000_000), Limits),
        "pages-small" => (HostileFiles.Tiff(20_000, 100, 100), Limits),
        "pages-large" => (HostileFiles.Tiff(20_000, 7000, 7000), Limits),
        "page-count-sharpest" => (HostileFiles.Tiff(20_000, 100, 100), Limits with { TiffPage = TiffPageSelection.Sharpest }),
        // An ImageDescription claiming 100 MB of text past the end of the file.
        "ascii-tag" => (HostileFiles.Tiff(1, 100, 100, extraTag: (270, 2, 100_000_000, 8)), Limits),
        // One 7000x7000 page whose 64 bytes of pixel data would decode as 49 MP of black.
        "one-large-page" => (HostileFiles.Tiff(1, 7000, 7000), Limits),
        "short-strips" => (HostileFiles.Tiff(1, 2000, 2000, strips: 2000), Limits),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Fact]
    public void Decode_UncompressedTiffWhoseStripsHoldTooLittle_IsRefusedAsTruncated()
    {
        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(HostileFiles.Tiff(1, 7000, 7000), Limits));

        Assert.Contains("7,000x7,000 uncompressed pixels (49,000,000 bytes) but its strips hold 8", error.Message);
    }

    [Fact]
    public void Decode_TiffWithMorePagesThanTheLimit_IsRefusedBeforeItsPagesAreRead()
    {
        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(HostileFiles.Tiff(300, 100, 100), Limits));

        Assert.Contains("more than 256 pages", error.Message);
    }

    [Fact]
    public void DecoderAllocator_FrameLargerThanOneRgbaFrameOfThePixelLimit_IsRefused()
    {
        var formats = TileDecoder.FormatsFor(1_000_000);

        using (new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(formats, 1000, 1000))
        {
        }

        Assert.Throws<SixLabors.ImageSharp.Memory.InvalidMemoryOperationException>(
            () => new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(formats, 2000, 2000));
    }

    private static (T Result, long Allocated) Measure<T>(Func<T> action)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var result = action();
        return (result, GC.GetTotalAllocatedBytes(precise: true) - before);
    }
}
