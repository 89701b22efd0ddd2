namespace FocusFunctions.Core.Tests.Scoring;

public class PatchLayoutTests
{
    [Fact]
    public void Cover_ExactMultiple_TilesWithoutOverlap()
    {
        var regions = PatchLayout.Cover(640, 320, 320);

        Assert.Equal([(0, 0), (320, 0)], regions.Select(r => (r.X, r.Y)));
        Assert.All(regions, r => Assert.Equal((320, 320), (r.Width, r.Height)));
    }

    [Fact]
    public void Cover_NotAMultiple_SpreadsOverlapAndTouchesBothEdges()
    {
        var xs = PatchLayout.Origins(1000, 320);

        Assert.Equal([0, 227, 453, 680], xs);
        Assert.Equal(1000, xs[^1] + 320);
    }

    [Theory]
    [InlineData(321)]
    [InlineData(999)]
    [InlineData(2048)]
    [InlineData(4099)]
    public void Cover_AnyLength_CoversEveryPixel(int length)
    {
        var origins = PatchLayout.Origins(length, 320);
        var covered = new bool[length];
        foreach (int x in origins)
        {
            for (int i = x; i < x + 320; i++)
            {
                covered[i] = true;
            }
        }

        Assert.All(covered, Assert.True);
        Assert.Equal((length + 319) / 320, origins.Length);
    }

    [Fact]
    public void Cover_SmallerThanPatch_OnePatchWithRealSize()
    {
        var regions = PatchLayout.Cover(150, 400, 320);

        Assert.Equal(2, regions.Count);
        Assert.Equal(new PatchRegion(0, 0, 0, 0, 150, 320), regions[0]);
        Assert.Equal(new PatchRegion(0, 1, 0, 80, 150, 320), regions[1]);
    }
}
