using System.Text.Json;

namespace FocusFunctions.Core.Tests.Scoring;

public class TissueDetectorTests
{
    public static TheoryData<string> Backgrounds() => ImagesWithRole("background");

    public static TheoryData<string> InFocusTissue() => ImagesWithRole("in-focus");

    [Theory]
    [MemberData(nameof(Backgrounds))]
    public void Map_SharedBackgroundImage_HasNoPatchWithEnoughTissue(string file)
    {
        var image = TestImages.LoadShared(file);
        var map = TissueDetector.Map(image);

        double best = PatchLayout.Cover(image.Width, image.Height, 320).Max(r => map.Fraction(r.X, r.Y, r.Width, r.Height));
        Assert.True(best < new ScoringOptions().MinPatchTissueFraction, $"{file}: a patch is {best:P0} tissue");
    }

    [Theory]
    [MemberData(nameof(InFocusTissue))]
    public void Map_SharedTissueImage_FindsTissue(string file)
    {
        var image = TestImages.LoadShared(file);
        var map = TissueDetector.Map(image);

        // Adipose is mostly empty fat cells: it must still show some tissue, but need not fill a patch.
        Assert.True(map.TotalFraction > 0.03, $"{file}: only {map.TotalFraction:P1} tissue");
    }

    [Theory]
    [InlineData(242, 242, 240, false)] // glass
    [InlineData(200, 30, 40, false)]   // red marker
    [InlineData(60, 170, 150, false)]  // teal marker
    [InlineData(20, 40, 220, false)]   // blue marker
    [InlineData(20, 20, 20, false)]    // black line
    [InlineData(215, 140, 185, true)]  // eosin
    [InlineData(90, 60, 140, true)]    // haematoxylin
    [InlineData(150, 100, 60, true)]   // DAB
    public void IsTissue_TypicalColours(int r, int g, int b, bool expected)
    {
        Assert.Equal(expected, TissueDetector.IsTissue((byte)r, (byte)g, (byte)b));
    }

    [Fact]
    public void Fraction_CountsARectangleFromTheSummedAreaTable()
    {
        // Black-line background (never tissue, never filled) so the table holds exactly the painted block.
        var image = TestImages.Solid(10, 10, 20, 20, 20);
        for (int y = 2; y < 6; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                int i = (y * 10 + x) * 3;
                (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = ((byte)200, (byte)120, (byte)170);
            }
        }

        var map = TissueDetector.Map(image);

        Assert.Equal(20, map.Count(0, 0, 10, 10));
        Assert.Equal(1.0, map.Fraction(0, 2, 5, 4));
        Assert.Equal(0.2, map.TotalFraction, 6);
    }

    [Fact]
    public void Classify_EveryRgbColour_MatchesThePerPixelRule()
    {
        // All 2^24 colours, one per pixel, through the per-pixel step the tile pipeline uses (vectorised where the CPU
        // allows): the same pixel kind (tissue, glass-like, ink) as the scalar rule.
        const int side = 4096;
        var pixels = new byte[side * side * 3];
        for (int colour = 0; colour < side * side; colour++)
        {
            (pixels[3 * colour], pixels[3 * colour + 1], pixels[3 * colour + 2]) = ((byte)(colour >> 16), (byte)(colour >> 8), (byte)colour);
        }

        // The per-pixel step alone: the neighbourhood step would fill between colours that are tissue.
        var kinds = TissueDetector.Classify(new RgbImage(side, side, pixels));

        int wrong = 0, firstWrong = -1;
        for (int colour = 0; colour < side * side; colour++)
        {
            var kind = TissueDetector.Classify(pixels[3 * colour], pixels[3 * colour + 1], pixels[3 * colour + 2]);
            if (kinds[colour] != kind && wrong++ == 0)
            {
                firstWrong = colour;
            }
        }

        Assert.True(wrong == 0, $"{wrong} colours differ from the per-pixel rule, first RGB #{firstWrong:X6}");
    }

    [Theory]
    [InlineData("cmu1-small-region-he-skin.png", 320)]
    [InlineData("skimage-ihc-colon.png", 320)]
    [InlineData("skimage-ihc-colon.png", 97)]
    [InlineData("skimage-ihc-colon.png", 5000)]
    public void Map_OnThePatchEdgesOnly_CountsEveryPatchAsTheFullTable(string file, int patchSize)
    {
        // The scorer keeps the table only on its patches' edges (memory); every patch's count must be the full table's.
        var image = TestImages.LoadShared(file);
        var regions = PatchLayout.Cover(image.Width, image.Height, patchSize);
        var full = TissueDetector.Map(image);
        var edges = TissueDetector.Map(image, regions);

        Assert.All(regions, r => Assert.Equal(full.Count(r.X, r.Y, r.Width, r.Height), edges.Count(r.X, r.Y, r.Width, r.Height)));
        Assert.Equal(full.TotalFraction, edges.TotalFraction);
        Assert.Throws<ArgumentOutOfRangeException>(() => edges.Count(1, 0, 1, 1));
    }

    [Theory]
    [InlineData("cmu1-small-region-he-skin.png")]
    [InlineData("background-histolab-no-tissue-red-pen.png")]
    [InlineData("skimage-ihc-colon.png")]
    public void Map_SharedImage_SameTableAsTheRuleCountedPixelByPixel(string file)
    {
        // Crops whose widths are not multiples of 16 exercise the per-pixel tail of every row.
        var image = TestImages.LoadShared(file);
        foreach (int width in new[] { 1, 15, 16, 17, 333, image.Width })
        {
            var crop = Crop(image, width, Math.Min(image.Height, 97));
            var map = TissueDetector.Map(crop);
            var tissue = TissueByTheRule(crop);
            var expected = new int[crop.Width + 1];  // tissue pixels in rows [0, y) and columns [0, x)
            for (int y = 0; y <= crop.Height; y++)
            {
                for (int x = 0; x <= crop.Width; x++)
                {
                    Assert.Equal(expected[x], map.Count(0, 0, x, y));
                }

                for (int x = 0, row = 0; y < crop.Height && x < crop.Width; x++)
                {
                    row += tissue[y, x] ? 1 : 0;
                    expected[x + 1] += row;
                }
            }
        }
    }

    [Fact]
    public void Map_PaleCellsBetweenNuclei_AreTissueButOpenGlassAndInkAreNot()
    {
        // Grey glass (RGB 216, like OS-2 VSI's) everywhere; on the left half "nuclei" (6×6 px, blue-violet) every
        // 10 px with pale cytoplasm between them that is as grey as the glass; on the right half one lone nucleus
        // and an 8×8 block among nuclei, first grey like the glass, then red marker ink.
        var image = TestImages.Solid(200, 100, 216, 216, 216);
        void Paint(int x0, int y0, int size, byte r, byte g, byte b)
        {
            for (int y = y0; y < y0 + size; y++)
            {
                for (int x = x0; x < x0 + size; x++)
                {
                    int i = (y * image.Width + x) * 3;
                    (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = (r, g, b);
                }
            }
        }

        for (int y = 0; y < 100; y += 10)
        {
            for (int x = 0; x < 90; x += 10)
            {
                Paint(x, y, 6, 110, 90, 140);
            }
        }

        Paint(160, 50, 6, 110, 90, 140);
        for (int y = 0; y < 40; y += 10)
        {
            for (int x = 120; x < 160; x += 10)
            {
                Paint(x, y, 6, 110, 90, 140);
            }
        }

        Paint(133, 13, 8, 216, 216, 216);
        var withGlassAmongNuclei = TissueDetector.Map(image);
        Paint(133, 13, 8, 200, 30, 40);

        var map = TissueDetector.Map(image);

        Assert.Equal(0.36, PerPixelFraction(image, 10, 10, 70, 80), 6);        // per pixel only the nuclei
        Assert.Equal(1.0, map.Fraction(10, 10, 70, 80));                      // the cells between them are tissue
        Assert.Equal(0.0, map.Fraction(100, 60, 50, 40));                     // open glass is not, however grey
        Assert.Equal(36.0 / (30 * 30), map.Fraction(147, 37, 30, 30), 6);     // a lone nucleus does not grow
        Assert.Equal(1.0, withGlassAmongNuclei.Fraction(133, 13, 8, 8));      // pale among nuclei is filled,
        Assert.Equal(0.0, map.Fraction(133, 13, 8, 8));                       // ink in the same place is not
        Assert.Equal(TissueByTheRule(image).Cast<bool>().Count(t => t), map.Count(0, 0, 200, 100));
    }

    [Theory]
    [InlineData("openslide-os2-vsi-ki67-ihc.png")]
    [InlineData("background-histolab-no-tissue-red-pen.png")]
    public void Map_NeighbourhoodStep_MatchesAWindowCountedPixelByPixel(string file)
    {
        // A crop with every border case (windows cut by all four edges), against the rule written out naively.
        var image = Crop(TestImages.LoadShared(file), 97, 61);
        var map = TissueDetector.Map(image);
        var tissue = TissueByTheRule(image);
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                Assert.True(tissue[y, x] == (map.Count(x, y, 1, 1) == 1), $"{file} ({x}, {y})");
            }
        }
    }

    /// <summary>
    /// The rule written out naively: a pixel is tissue when the per-pixel rule says so, or when it is glass-like and
    /// at least a fifth of its (edge-cut) neighbourhood window is tissue by the per-pixel rule.
    /// </summary>
    private static bool[,] TissueByTheRule(RgbImage image)
    {
        int r = TissueDetector.NeighbourhoodRadius;
        var tissue = new bool[image.Height, image.Width];
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                var kind = KindAt(image, x, y);
                tissue[y, x] = kind == TissueDetector.PixelKind.Tissue;
                if (kind == TissueDetector.PixelKind.GlassLike)
                {
                    int count = 0, area = 0;
                    for (int v = Math.Max(0, y - r); v <= Math.Min(image.Height - 1, y + r); v++)
                    {
                        for (int u = Math.Max(0, x - r); u <= Math.Min(image.Width - 1, x + r); u++)
                        {
                            area++;
                            count += KindAt(image, u, v) == TissueDetector.PixelKind.Tissue ? 1 : 0;
                        }
                    }

                    tissue[y, x] = count * 5 >= area;
                }
            }
        }

        return tissue;
    }

    private static double PerPixelFraction(RgbImage image, int x0, int y0, int width, int height)
    {
        int count = 0;
        for (int y = y0; y < y0 + height; y++)
        {
            for (int x = x0; x < x0 + width; x++)
            {
                count += KindAt(image, x, y) == TissueDetector.PixelKind.Tissue ? 1 : 0;
            }
        }

        return (double)count / (width * height);
    }

    private static TissueDetector.PixelKind KindAt(RgbImage image, int x, int y)
    {
        int i = (y * image.Width + x) * 3;
        return TissueDetector.Classify(image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    private static RgbImage Crop(RgbImage image, int width, int height)
    {
        var crop = RgbImage.Blank(width, height);
        for (int y = 0; y < height; y++)
        {
            image.Pixels.AsSpan(y * image.Width * 3, width * 3).CopyTo(crop.Pixels.AsSpan(y * width * 3));
        }

        return crop;
    }

    private static TheoryData<string> ImagesWithRole(string role)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Histology, "manifest.json")));
        var data = new TheoryData<string>();
        foreach (var entry in manifest.RootElement.EnumerateArray().Where(e => e.GetProperty("role").GetString() == role))
        {
            data.Add(entry.GetProperty("file").GetString()!);
        }

        return data;
    }
}
