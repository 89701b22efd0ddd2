using Microsoft.Extensions.Logging.Abstractions;
using FocusFunctions.Core.Reports;
using FocusFunctions.Core.Tests.Scoring;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Tests.Imaging;

/// <summary>Issue 24: tiles built to exhaust memory or break the patch grid are refused (or survive) within a small budget.</summary>
public class HostileTileTests
{
    private const long InflatedTextBytes = 300L * 1024 * 1024;

    private static readonly DecodeLimits Limits = new(64L * 1024 * 1024, 50_000_000, TiffPageSelection.First);

    [Theory]
    [InlineData("zTXt")]
    [InlineData("iTXt")]
    public void Decode_PngWithATextChunkInflatingTo300MB_DecodesWithoutInflatingIt(string chunkType)
    {
        using var source = TestImages.Texture(40, 30);
        var png = PngHeader.WithChunkBeforeEnd(TestImages.Encode(source, new PngEncoder()), chunkType, PngHeader.CompressedTextChunk(chunkType, InflatedTextBytes));
        Assert.True(png.Length < 1024 * 1024, $"the bomb is {png.Length:N0} bytes");

        long before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = TileDecoder.Decode(png, Limits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(TestImages.ToRgb(source).Pixels, decoded.Image.Pixels);
        Assert.True(allocated < 100L * 1024 * 1024, $"decoding allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ReportThumbnail_OfAPngWithATextChunkBomb_IsMadeWithoutInflatingIt()
    {
        using var source = TestImages.Texture(40, 30);
        var png = PngHeader.WithChunkBeforeEnd(TestImages.Encode(source, new PngEncoder()), "zTXt", PngHeader.CompressedTextChunk("zTXt", InflatedTextBytes));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var thumbnail = ReportThumbnails.FromEncoded(new MemoryStream(png), 64, 50_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotNull(thumbnail);
        Assert.True(allocated < 100L * 1024 * 1024, $"the thumbnail allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(1, 3_000_000, "1x3,000,000")]
    [InlineData(200_000, 1, "200,000x1")]
    public void Decode_ExtremeAspectRatio_IsRefusedFromTheHeader(int width, int height, string shape)
    {
        var ex = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(PngHeader.Declaring(width, height), Limits));

        Assert.Contains(shape, ex.Message);
        Assert.Contains("aspect ratio over the limit of 64:1", ex.Message);
    }

    [Fact]
    public void Decode_AspectRatioAtTheLimit_IsDecoded()
    {
        using var source = TestImages.Texture(640, 10);

        Assert.Equal(640, TileDecoder.Decode(TestImages.Encode(source, new PngEncoder()), Limits).Image.Width);
    }

    [Fact]
    public void Score_OnePixelWideStripPastTheAspectRatioSetting_IsScored()
    {
        var score = PermissiveScorer(new FakeFocusModel(_ => 1f)).Score(TileScorerTests.Png(1, 3_000, new Rgb24(200, 120, 170)));

        Assert.NotEqual(FocusVerdict.Failed, score.Verdict);
        Assert.Equal(10, score.Grid!.Patches.Count);
    }

    [Fact]
    public void Score_StripOfManyPatchesPastTheShapeSettings_IsStreamedThroughTheModelNotHeldAsOneTensor()
    {
        // Once every tissue patch was laid out in one float array (1x3,000,000 px overflowed it and stopped `focus score`);
        // now patches are written into the model's run buffer as their run comes, so only the settings bound a tile.
        var model = new FakeFocusModel(_ => 1f);

        var score = PermissiveScorer(model).Score(TileScorerTests.Png(1, 300_000, new Rgb24(200, 120, 170)));

        Assert.Equal(FocusVerdict.InFocus, score.Verdict);
        Assert.Equal(938, score.PatchCount);
        Assert.Equal([938], model.BatchSizes);
    }

    [Fact]
    public void Score_MorePatchesThanTheLimit_FailsBeforeResampling()
    {
        var model = new FakeFocusModel(_ => 1f);
        var scorer = new TileScorer(model, Options.Create(new ScoringOptions()), Options.Create(new DecodeOptions { MaxPatches = 3 }), NullLogger<TileScorer>.Instance);

        var score = scorer.Score(TileScorerTests.Png(640, 640, new Rgb24(200, 120, 170)));

        Assert.Equal(FocusVerdict.Failed, score.Verdict);
        Assert.Contains("4 patches", score.Error);
        Assert.Empty(model.BatchSizes);
    }

    /// <summary>A scorer whose shape settings let anything through, to reach what lies behind them.</summary>
    private static TileScorer PermissiveScorer(IFocusModel model) => new(model, Options.Create(new ScoringOptions()),
        Options.Create(new DecodeOptions { MaxAspectRatio = double.MaxValue, MaxPatches = int.MaxValue }), NullLogger<TileScorer>.Instance);
}
