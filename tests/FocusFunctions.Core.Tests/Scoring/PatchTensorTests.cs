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

    [Theory]
    [InlineData(320, 0, 0, 320, 320)]   // full patch at the corner
    [InlineData(320, 37, 11, 320, 320)] // full patch at an odd offset
    [InlineData(40, 5, 3, 40, 17)]      // full width, mirrored rows; 40 = two vector runs and a tail of 8
    [InlineData(320, 100, 50, 211, 320)] // narrower than the patch: mirrored columns, per-pixel path
    public void Write_VectorisedRows_AreBitIdenticalToThePerPixelPath(int patchSize, int x, int y, int width, int height)
    {
        var random = new Random(patchSize + x + width);
        var image = RgbImage.Blank(400, 400);
        random.NextBytes(image.Pixels);
        var region = new PatchRegion(0, 0, x, y, width, height);
        var vectorised = new float[3 * patchSize * patchSize];
        var perPixel = new float[3 * patchSize * patchSize];

        PatchTensor.Write(image, region, patchSize, vectorised);
        WritePixelByPixel(image, region, patchSize, perPixel);

        Assert.Equal(perPixel, vectorised);
    }

    /// <summary>The patch written out naively: CHW, each byte times 1/255, mirrored indices past the region's edge.</summary>
    private static void WritePixelByPixel(RgbImage image, PatchRegion region, int patchSize, float[] destination)
    {
        int plane = patchSize * patchSize;
        for (int py = 0; py < patchSize; py++)
        {
            for (int px = 0; px < patchSize; px++)
            {
                int s = ((region.Y + PatchTensor.Mirror(py, region.Height)) * image.Width + region.X + PatchTensor.Mirror(px, region.Width)) * 3;
                for (int c = 0; c < 3; c++)
                {
                    destination[c * plane + py * patchSize + px] = image.Pixels[s + c] * (1f / 255f);
                }
            }
        }
    }
}
