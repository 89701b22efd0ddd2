using System.Text.Json;

namespace FocusFunctions.Core.Tests.Imaging;

public class ResamplerTests
{
    [Fact]
    public void Resample_SamePixelSize_ReturnsTheSameImage()
    {
        var image = TestImages.Solid(10, 10, 1, 2, 3);

        Assert.Same(image, Resampler.Resample(image, 0.5, 0.5));
    }

    [Fact]
    public void Resample_HalvingTheResolution_AveragesTwoByTwoBlocks()
    {
        // A 4x2 image of vertical stripes 0,100,200,50 at 0.25 µm/px becomes 2x1 at 0.5 µm/px.
        var pixels = new byte[4 * 2 * 3];
        byte[] column = [0, 100, 200, 50];
        for (int y = 0; y < 2; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                pixels[(y * 4 + x) * 3] = column[x];
                pixels[(y * 4 + x) * 3 + 1] = column[x];
                pixels[(y * 4 + x) * 3 + 2] = column[x];
            }
        }

        var result = Resampler.Resample(new RgbImage(4, 2, pixels), 0.25, 0.5);

        Assert.Equal(2, result.Width);
        Assert.Equal(1, result.Height);
        Assert.Equal([50, 50, 50, 125, 125, 125], result.Pixels.Select(b => (int)b));
    }

    [Fact]
    public void Resample_NonIntegerShrink_WeightsPartialOverlaps()
    {
        // k = 2/3: output pixel 0 covers input [0, 1.5): 1 × px0 + 0.5 × px1, over 1.5.
        var image = new RgbImage(3, 1, [0, 0, 0, 90, 90, 90, 180, 180, 180]);

        var result = Resampler.Resample(image, 0.5 * 2 / 3, 0.5);

        Assert.Equal(2, result.Width);
        Assert.Equal(30, result.Pixels[0]);
        Assert.Equal(150, result.Pixels[3]);
    }

    [Fact]
    public void Resample_Enlarging_InterpolatesLinearlyAndClampsEdges()
    {
        var image = new RgbImage(2, 1, [0, 0, 0, 200, 200, 200]);

        var result = Resampler.Resample(image, 1.0, 0.5);

        // Output centres map to input -0.25, 0.25, 0.75, 1.25 → clamped 0, 50, 150, 200.
        Assert.Equal((4, 2), (result.Width, result.Height));
        Assert.Equal([0, 50, 150, 200], result.Pixels[..12].Where((_, i) => i % 3 == 0).Select(b => (int)b));
    }

    [Fact]
    public void Resample_UniformImage_StaysUniform()
    {
        var image = TestImages.Solid(101, 77, 180, 90, 200);

        var result = Resampler.Resample(image, 0.227, 0.5);

        Assert.Equal(46, result.Width);
        Assert.Equal(35, result.Height);
        Assert.All(result.Pixels.Chunk(3), p => Assert.Equal([180, 90, 200], p.Select(b => (int)b)));
    }

    [Theory]
    [InlineData(0.25, 0.5)]
    [InlineData(0.37, 0.5)]
    [InlineData(0.5, 0.5 / 3)]
    [InlineData(0.9, 0.5)]
    [InlineData(1.0, 0.5)]
    [InlineData(0.5, 0.29)]
    public void Resample_RowByRow_EqualsTheWholeIntermediatePass(double sourceMicrons, double targetMicrons)
    {
        // The horizontal pass is computed row by row into a ring; the whole float intermediate gives the same bytes.
        var source = TestImages.ToRgb(TestImages.Texture(131, 97, seed: 3));
        Assert.Equal(WithWholeIntermediate(source, sourceMicrons / targetMicrons).Pixels, Resampler.Resample(source, sourceMicrons, targetMicrons).Pixels);
    }

    /// <summary>The two separable passes with the whole horizontal result held in memory (the resampler before the ring).</summary>
    private static RgbImage WithWholeIntermediate(RgbImage source, double k)
    {
        int outWidth = Math.Max(1, (int)Math.Round(source.Width * k, MidpointRounding.AwayFromZero));
        int outHeight = Math.Max(1, (int)Math.Round(source.Height * k, MidpointRounding.AwayFromZero));
        var columns = Resampler.Weights(source.Width, outWidth, k);
        var rows = Resampler.Weights(source.Height, outHeight, k);
        var horizontal = new float[source.Height * outWidth * 3];
        for (int y = 0; y < source.Height; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int t = 0; t < columns[x].Values.Length; t++)
                {
                    int s = (y * source.Width + columns[x].First + t) * 3;
                    float v = columns[x].Values[t];
                    r += v * source.Pixels[s];
                    g += v * source.Pixels[s + 1];
                    b += v * source.Pixels[s + 2];
                }

                int o = (y * outWidth + x) * 3;
                (horizontal[o], horizontal[o + 1], horizontal[o + 2]) = (r, g, b);
            }
        }

        var result = RgbImage.Blank(outWidth, outHeight);
        int rowLength = outWidth * 3;
        for (int y = 0; y < outHeight; y++)
        {
            var accumulator = new float[rowLength];
            for (int t = 0; t < rows[y].Values.Length; t++)
            {
                for (int i = 0; i < rowLength; i++)
                {
                    accumulator[i] += rows[y].Values[t] * horizontal[(rows[y].First + t) * rowLength + i];
                }
            }

            for (int i = 0; i < rowLength; i++)
            {
                result.Pixels[y * rowLength + i] = (byte)Math.Clamp(MathF.Round(accumulator[i], MidpointRounding.AwayFromZero), 0, 255);
            }
        }

        return result;
    }

    [Fact]
    public void Resample_MatchesTheTrainingPipelineFixture()
    {
        string folder = Path.Combine(RepositoryPaths.Models, "fixtures", "preprocess-parity");
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "meta.json")));
        double input = meta.RootElement.GetProperty("inputMicronsPerPixel").GetDouble();
        double model = meta.RootElement.GetProperty("modelMicronsPerPixel").GetDouble();
        var source = TileDecoder.Decode(File.ReadAllBytes(Path.Combine(folder, "input.png")), new DecodeLimits(1 << 26, 1 << 26, TiffPageSelection.First));
        var expected = File.ReadAllBytes(Path.Combine(folder, "expected.bin"));

        var result = Resampler.Resample(source.Image, input, model);

        Assert.Equal(meta.RootElement.GetProperty("outputWidth").GetInt32(), result.Width);
        Assert.Equal(meta.RootElement.GetProperty("outputHeight").GetInt32(), result.Height);
        int worst = result.Pixels.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1, $"C# and training preprocessing differ by up to {worst}/255.");
    }
}
