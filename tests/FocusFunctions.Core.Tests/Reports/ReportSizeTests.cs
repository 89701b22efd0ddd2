using FocusFunctions.Core.Reports;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.Core.Tests.Reports;

public sealed class ReportSizeTests
{
    [Fact]
    public void Render_ThousandTilesOfRealTissue_PageAtMostThreeMegabytes()
    {
        // Thumbnails of distinct crops of real H&E (compression depends on content, so texture noise would mislead).
        using var source = Image.Load<Rgb24>(Path.Combine(RepositoryPaths.Histology, "cmu1-small-region-he-skin.png"));
        source.Mutate(x => x.Resize(source.Width / 2, source.Height / 2));
        int side = ReportThumbnails.SideFor(1000);
        var random = new Random(7);
        var tiles = new List<ReportTile>();
        for (int i = 0; i < 1000; i++)
        {
            var crop = new Rectangle(random.Next(source.Width - 512), random.Next(source.Height - 512), 512, 512);
            using var tile = source.Clone(x => x.Crop(crop));
            double defocus = random.NextDouble() * 5;
            tiles.Add(new ReportTile($"slide-big/x{i % 40:000}_y{i / 40:000}.png", i % 40, i / 40,
                defocus > 2 ? FocusVerdict.OutOfFocus : FocusVerdict.InFocus, defocus, defocus + 1, 0.9, "Tiles", null, 4, 4,
                Enumerable.Range(0, 16).Select(p => (double?)(defocus + p * 0.01)).ToList(), ReportThumbnails.FromImage(tile, side)));
        }

        byte[] page = ReportPage.RenderUtf8(new SlideReport("slide-big", tiles, 2.0, "focusnet", "1.1.0", DateTimeOffset.UnixEpoch));

        Assert.InRange(page.Length, 1_000_000, 3_000_000);
    }

    [Fact]
    public void SideFor_MoreTiles_SmallerThumbnailsWithinBounds()
    {
        Assert.Equal(ReportThumbnails.MaxSide, ReportThumbnails.SideFor(6));
        Assert.True(ReportThumbnails.SideFor(1000) < ReportThumbnails.SideFor(100));
        Assert.Equal(ReportThumbnails.MinSide, ReportThumbnails.SideFor(1_000_000));
    }

    [Fact]
    public void FromEncoded_NotAnImage_Null()
    {
        Assert.Null(ReportThumbnails.FromEncoded(new MemoryStream([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]), 64, 100_000_000));
    }

    [Fact]
    public void FromEncoded_HeaderDeclaringMorePixelsThanAllowed_NullWithoutDecoding()
    {
        Assert.Null(ReportThumbnails.FromEncoded(new MemoryStream(PngHeader.Declaring(100_000, 100_000)), 64, 100_000_000));
    }

    [Fact]
    public void FromEncoded_Png_JpegThumbnail()
    {
        using var image = TestImages.Texture(300, 300);
        var png = new MemoryStream(TestImages.Encode(image, new SixLabors.ImageSharp.Formats.Png.PngEncoder()));

        using var thumbnail = Image.Load<Rgb24>(ReportThumbnails.FromEncoded(png, 64, 100_000_000)!, out var format);

        Assert.Equal(("JPEG", 64), (format.Name, thumbnail.Width));
    }

    [Fact]
    public void FromImage_LargeTile_LongerSideShrunkToTheLimit()
    {
        using var image = TestImages.Texture(400, 200);

        using var thumbnail = Image.Load<Rgb24>(ReportThumbnails.FromImage(image, 100));

        Assert.Equal((100, 50), (thumbnail.Width, thumbnail.Height));
    }
}
