namespace FocusFunctions.Core.Tests.Scoring;

public class PatchTensorTests
{
    [Fact]
    public void Write_LaysOutChannelsFirstScaledToUnit()
    {
        var image = new RgbImage(2, 1, [255, 0, 51, 0, 102, 255]);
        var tensor = new float[3 * 2 * 2];

        PatchTensor.Write(image, new PatchRegion(0, 0, 0, 0, 2, 1), 2, tensor);

        // Row 0 real, row 1 mirrored from row 0 (height 1).
        Assert.Equal([1f, 0f, 1f, 0f], tensor[..4]);
        Assert.Equal([0f, 0.4f, 0f, 0.4f], tensor[4..8].Select(v => MathF.Round(v, 4)));
        Assert.Equal([0.2f, 1f, 0.2f, 1f], tensor[8..12].Select(v => MathF.Round(v, 4)));
    }

    [Fact]
    public void Mirror_ReflectsWithoutRepeatingTheEdge()
    {
        Assert.Equal([0, 1, 2, 1, 0, 1, 2], Enumerable.Range(0, 7).Select(i => PatchTensor.Mirror(i, 3)));
        Assert.Equal([0, 0, 0], Enumerable.Range(0, 3).Select(i => PatchTensor.Mirror(i, 1)));
    }

    [Fact]
    public void Write_RegionInsideALargerImage_ReadsItsOwnPixels()
    {
        var image = RgbImage.Blank(4, 4);
        image.Pixels[(2 * 4 + 3) * 3] = 255; // red at (3, 2)
        var tensor = new float[3 * 2 * 2];

        PatchTensor.Write(image, new PatchRegion(1, 1, 2, 2, 2, 2), 2, tensor);

        Assert.Equal([0f, 1f, 0f, 0f], tensor[..4]);
    }
}
