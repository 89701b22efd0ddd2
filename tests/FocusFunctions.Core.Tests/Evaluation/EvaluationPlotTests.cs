using FocusFunctions.Core.Evaluation;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Tests.Evaluation;

public sealed class EvaluationPlotTests
{
    [Fact]
    public void BinaryLabels_DrawTheRocCurveAndBothOperatingPoints()
    {
        LabelledPrediction[] tiles = [new(0, FocusVerdict.InFocus, 0.3), new(0, FocusVerdict.OutOfFocus, 2.2), new(1, FocusVerdict.OutOfFocus, 3.1), new(1, FocusVerdict.InFocus, 1.9)];
        var report = Evaluator.Evaluate(tiles, LabelKind.Binary, 2.0, resamples: 50);

        using var image = Image.Load<Rgb24>(EvaluationPlot.Render(report, tiles));

        Assert.Equal((600, 600), (image.Width, image.Height));
        Assert.True(Count(image, new Rgb24(33, 102, 172)) > 300, "the curve");
        Assert.True(Count(image, new Rgb24(215, 48, 39)) > 100, "the best threshold's mark");
    }

    [Fact]
    public void ContinuousLabels_DrawOnePointPerScoredTile()
    {
        LabelledPrediction[] tiles = [new(0, FocusVerdict.InFocus, 0.1), new(3, FocusVerdict.OutOfFocus, 2.9), new(6, FocusVerdict.OutOfFocus, 5.5), new(2, FocusVerdict.NoTissue, null)];
        var report = Evaluator.Evaluate(tiles, LabelKind.ZSteps, 2.0, resamples: 50);

        using var image = Image.Load<Rgb24>(EvaluationPlot.Render(report, tiles));

        // Each point is a 5×5 fill inside a dark rim; no threshold line shares the curve colour.
        Assert.Equal(3 * 25, Count(image, new Rgb24(33, 102, 172)));
    }

    private static int Count(Image<Rgb24> image, Rgb24 colour)
    {
        int count = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                count += image[x, y] == colour ? 1 : 0;
            }
        }

        return count;
    }
}
