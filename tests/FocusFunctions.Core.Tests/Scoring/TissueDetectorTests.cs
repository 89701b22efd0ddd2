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
        var image = TestImages.Solid(10, 10, 242, 242, 240);
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
