using FocusFunctions.Core.Scoring;
using FocusFunctions.Core.Maps;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class FocusMapRendererTests
{
    [Fact]
    public void RenderTile_GridWithUnscoredPatch_EachPatchColouredAndLegendDrawn()
    {
        var score = new TileScore
        {
            Verdict = FocusVerdict.InFocus,
            ThresholdMicrons = 2.0,
            Grid = new PatchGrid(2, 2, 320,
            [
                new PatchScore(0, 0, 0.9, 0.0), new PatchScore(1, 0, 0.9, 2.0),
                new PatchScore(0, 1, 0.9, 9.0), new PatchScore(1, 1, 0.1, null),
            ]),
        };

        using var map = Image.Load<Rgb24>(FocusMapRenderer.RenderTile(score));

        // 480 / 2 = 240 px cells, capped at 64, after an 8 px margin.
        Rgb24 Cell(int x, int y) => map[8 + x * 64 + 32, 8 + y * 64 + 32];
        Assert.Equal(DefocusPalette.Sharp, Cell(0, 0));
        Assert.Equal(DefocusPalette.AtThreshold, Cell(1, 0));
        Assert.Equal(DefocusPalette.Blurred, Cell(0, 1));
        Assert.Equal(DefocusPalette.NoTissue, Cell(1, 1));
        Assert.True(CountInk(map, top: 8 + 2 * 64) > 50, "the legend's labels are drawn");
    }

    [Fact]
    public void RenderTile_FailedTileWithoutGrid_OneDarkCell()
    {
        var score = new TileScore { Verdict = FocusVerdict.Failed, Error = "The file is empty (0 bytes)." };

        using var map = Image.Load<Rgb24>(FocusMapRenderer.RenderTile(score));

        Assert.Equal(DefocusPalette.Failed, map[8 + 32, 8 + 32]);
    }

    [Fact]
    public void RenderMosaic_TilesAtOffsetPositions_PlacedRelativeToTheSmallest()
    {
        var tiles = new[]
        {
            (X: 10, Y: 20, DefocusMicrons: (double?)0.1, Verdict: FocusVerdict.InFocus),
            (X: 12, Y: 20, DefocusMicrons: (double?)5.0, Verdict: FocusVerdict.OutOfFocus),
            (X: 10, Y: 21, DefocusMicrons: (double?)null, Verdict: FocusVerdict.NoTissue),
        };

        using var map = Image.Load<Rgb24>(FocusMapRenderer.RenderMosaic(tiles, thresholdMicrons: 2.0));

        Rgb24 Cell(int x, int y) => map[8 + x * 64 + 32, 8 + y * 64 + 32];
        Assert.Equal(DefocusPalette.ForDefocus(0.1, 2.0), Cell(0, 0));
        Assert.Equal(DefocusPalette.Background, Cell(1, 0));
        Assert.Equal(DefocusPalette.Blurred, Cell(2, 0));
        Assert.Equal(DefocusPalette.NoTissue, Cell(0, 1));
        Assert.Equal(3 * 64 + 16 < 260 + 16 ? 260 + 16 : 3 * 64 + 16, map.Width);
    }

    [Fact]
    public void RenderMosaic_TileWithPicture_PictureInsideAFrameOfItsColour()
    {
        using var picture = new Image<Rgb24>(100, 50, new Rgb24(200, 10, 10));
        var tiles = new[] { (X: 3, Y: 4, DefocusMicrons: (double?)5.0, Verdict: FocusVerdict.OutOfFocus), (X: 4, Y: 4, DefocusMicrons: (double?)0.0, Verdict: FocusVerdict.InFocus) };

        using var map = Image.Load<Rgb24>(FocusMapRenderer.RenderMosaic(tiles, 2.0, new Dictionary<(int X, int Y), Image<Rgb24>> { [(3, 4)] = picture }));

        // Cells of 64 px: a frame of 63 / 8 = 7 px in the tile's colour, the picture inside; no picture, all colour.
        Assert.Equal(DefocusPalette.Blurred, map[8 + 2, 8 + 32]);
        Assert.Equal(new Rgb24(200, 10, 10), map[8 + 32, 8 + 32]);
        Assert.Equal(DefocusPalette.Sharp, map[8 + 64 + 32, 8 + 32]);
        Assert.Equal((100, 50), (picture.Width, picture.Height));
    }

    [Fact]
    public void RenderTile_UndecidedPatch_StripedOverItsDefocusColourAndInTheLegend()
    {
        var score = new TileScore
        {
            Verdict = FocusVerdict.Indeterminate,
            ThresholdMicrons = 2.0,
            Grid = new PatchGrid(2, 1, 320, [new PatchScore(0, 0, 0.9, 0.4, 0.1, 0.8), new PatchScore(1, 0, 0.9, 9.0, 0.0, 20.0)]),
        };

        using var map = Image.Load<Rgb24>(FocusMapRenderer.RenderTile(score));

        var decided = Pixels(map, 8, 8, 63, 63);
        var undecided = Pixels(map, 8 + 64, 8, 63, 63);
        Assert.Equal([DefocusPalette.ForDefocus(0.4, 2.0)], decided.Distinct());
        Assert.Contains(DefocusPalette.Indeterminate, undecided);
        Assert.Contains(DefocusPalette.Blurred, undecided);
        Assert.Contains(DefocusPalette.Indeterminate, Pixels(map, 0, 8 + 64, map.Width, map.Height - 8 - 64));
    }

    [Fact]
    public void RenderMosaic_IndeterminateTile_StripedOverItsMedianColour()
    {
        var tiles = new[] { (X: 0, Y: 0, DefocusMicrons: (double?)9.0, Verdict: FocusVerdict.Indeterminate), (X: 1, Y: 0, DefocusMicrons: (double?)9.0, Verdict: FocusVerdict.OutOfFocus) };

        using var map = Image.Load<Rgb24>(FocusMapRenderer.RenderMosaic(tiles, 2.0));

        var indeterminate = Pixels(map, 8, 8, 63, 63);
        Assert.Contains(DefocusPalette.Indeterminate, indeterminate);
        Assert.Contains(DefocusPalette.Blurred, indeterminate);
        Assert.DoesNotContain(DefocusPalette.Indeterminate, Pixels(map, 8 + 64, 8, 63, 63));
    }

    [Fact]
    public void For_IndeterminateWithoutDefocus_TheStripeColour()
    {
        Assert.Equal(DefocusPalette.Indeterminate, DefocusPalette.For(FocusVerdict.Indeterminate, null, 2.0));
        Assert.Equal(DefocusPalette.ForDefocus(1.0, 2.0), DefocusPalette.For(FocusVerdict.Indeterminate, 1.0, 2.0));
    }

    private static List<Rgb24> Pixels(Image<Rgb24> image, int x0, int y0, int width, int height)
    {
        var pixels = new List<Rgb24>();
        for (int y = y0; y < Math.Min(image.Height, y0 + height); y++)
        {
            for (int x = x0; x < Math.Min(image.Width, x0 + width); x++)
            {
                pixels.Add(image[x, y]);
            }
        }

        return pixels;
    }

    [Fact]
    public void RenderMosaic_NoTiles_Throws()
    {
        Assert.Throws<ArgumentException>(() => FocusMapRenderer.RenderMosaic([]));
    }

    [Fact]
    public void RenderMosaic_PositionsTooFarApart_ThrowsInsteadOfAllocatingAHugeImage()
    {
        var tiles = new[] { (0, 0, (double?)1.0, FocusVerdict.InFocus), (1_000_000, 0, (double?)1.0, FocusVerdict.InFocus) };

        var error = Assert.Throws<ArgumentException>(() => FocusMapRenderer.RenderMosaic(tiles));

        Assert.Contains("2048", error.Message);
    }

    [Theory]
    [InlineData(0.0, 2.0)]
    [InlineData(1.0, 2.0)]
    [InlineData(2.5, 2.0)]
    [InlineData(0.5, 0.75)]
    public void ForDefocus_MoreDefocus_Lighter(double defocus, double threshold)
    {
        // Viridis rises in lightness from end to end: the order survives colour-blind vision and grey-scale print.
        double lower = Luma(DefocusPalette.ForDefocus(defocus, threshold));
        double higher = Luma(DefocusPalette.ForDefocus(defocus + 0.25 * threshold, threshold));

        Assert.True(higher > lower, $"luma {higher:F1} at {defocus + 0.25 * threshold} µm should be above {lower:F1} at {defocus} µm");
    }

    [Fact]
    public void ForDefocus_BeyondTwiceTheThreshold_Saturates()
    {
        Assert.Equal(DefocusPalette.Blurred, DefocusPalette.ForDefocus(40, 2));
        Assert.Equal(DefocusPalette.AtThreshold, DefocusPalette.ForDefocus(2, 2));
        Assert.Equal(DefocusPalette.Sharp, DefocusPalette.ForDefocus(-1, 2));
    }

    [Fact]
    public void Stops_ViridisEnds_AndHexInCssNotation()
    {
        Assert.Equal("#440154", DefocusPalette.Hex(DefocusPalette.Sharp));
        Assert.Equal("#21908c", DefocusPalette.Hex(DefocusPalette.AtThreshold));
        Assert.Equal("#fde725", DefocusPalette.Hex(DefocusPalette.Blurred));
    }

    private static double Luma(Rgb24 c) => 0.2126 * c.R + 0.7152 * c.G + 0.0722 * c.B;

    private static int CountInk(Image<Rgb24> image, int top)
    {
        int count = 0;
        for (int y = top; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (image[x, y].Equals(DefocusPalette.Ink))
                {
                    count++;
                }
            }
        }

        return count;
    }
}
