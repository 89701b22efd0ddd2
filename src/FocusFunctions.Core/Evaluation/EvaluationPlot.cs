using System.Globalization;
using FocusFunctions.Core.Maps;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Evaluation;

/// <summary>
/// <c>focus evaluate --plot</c>: for in/out labels the ROC curve with the current and the best threshold marked;
/// for continuous labels each tile's predicted defocus against its label, with both thresholds as lines.
/// </summary>
public static class EvaluationPlot
{
    private const int Left = 80, Top = 56, Side = 480, Width = Left + Side + 40, Height = Top + Side + 64, TextScale = 2;
    private static readonly Rgb24 Grid = new(232, 232, 232);
    private static readonly Rgb24 Guide = new(160, 160, 160);
    private static readonly Rgb24 Curve = new(33, 102, 172);
    private static readonly Rgb24 Best = new(215, 48, 39);

    public static byte[] Render(EvaluationReport report, IReadOnlyList<LabelledPrediction> tiles)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(tiles);
        using var image = new Image<Rgb24>(Width, Height, DefocusPalette.Background);
        if (report.LabelKind == LabelKind.Binary)
        {
            DrawRoc(image, report);
        }
        else
        {
            DrawScatter(image, report, tiles.Where(t => t.IsScored).ToList());
        }

        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }

    private static void DrawRoc(Image<Rgb24> image, EvaluationReport report)
    {
        string title = report.RocAuc is double auc ? $"ROC  AUC {Number(auc, "0.000")}  N {report.ScoredCount}" : $"ROC  ONE CLASS ONLY  N {report.ScoredCount}";
        DrawFrame(image, title, "TRUE POSITIVE RATE (OUT CALLED OUT)", "FALSE POSITIVE RATE (IN CALLED OUT)", 1.0, 0.2);
        Canvas.Line(image, X(0, 1), Y(0, 1), X(1, 1), Y(1, 1), 1, Guide, dash: 4);
        for (int i = 1; i < report.Roc.Count; i++)
        {
            var (a, b) = (report.Roc[i - 1], report.Roc[i]);
            Canvas.Line(image, X(a.FalsePositiveRate, 1), Y(a.TruePositiveRate, 1), X(b.FalsePositiveRate, 1), Y(b.TruePositiveRate, 1), 2, Curve);
        }

        if (report.Confusion is not { } now || report.RocAuc is null || report.BestThresholdMicrons is not double best)
        {
            return;
        }

        // The ROC point that calls the same tiles out of focus as the best threshold: the lowest curve threshold above it.
        var bestPoint = report.Roc.Last(p => p.ThresholdMicrons > best);
        var (nowX, nowY) = (X(now.FalsePositiveRate, 1), Y(now.TruePositiveRate, 1));
        var (bestX, bestY) = (X(bestPoint.FalsePositiveRate, 1), Y(bestPoint.TruePositiveRate, 1));
        // Current: a hollow square; best: a filled one inside it when they coincide. Labels stacked, never overlapping.
        Canvas.Fill(image, (int)nowX - 8, (int)nowY - 8, 17, 17, DefocusPalette.Ink);
        Canvas.Fill(image, (int)nowX - 6, (int)nowY - 6, 13, 13, DefocusPalette.Background);
        Canvas.Fill(image, (int)bestX - 4, (int)bestY - 4, 9, 9, Best);
        int bestLabelY = LabelY(bestY);
        int nowLabelY = LabelY(nowY);
        if (Math.Abs(nowLabelY - bestLabelY) < 14 && Math.Abs(nowX - bestX) < 160)
        {
            nowLabelY = bestLabelY + 14;
        }

        Label(image, bestX, bestLabelY, Best, $"BEST {Number(best, "0.00")} UM");
        Label(image, nowX, nowLabelY, DefocusPalette.Ink, $"NOW {Number(report.ThresholdMicrons, "0.00")} UM");
    }

    private static void DrawScatter(Image<Rgb24> image, EvaluationReport report, IReadOnlyList<LabelledPrediction> tiles)
    {
        bool microns = report.LabelKind == LabelKind.Microns;
        double labelMax = NiceMax(tiles.Select(t => Math.Abs(t.Label)).DefaultIfEmpty(1).Max());
        double predictedMax = NiceMax(Math.Max(tiles.Select(t => t.PredictedMicrons!.Value).DefaultIfEmpty(1).Max(), report.ThresholdMicrons));
        double max = microns ? Math.Max(labelMax, predictedMax) : predictedMax;
        double xMax = microns ? max : labelMax;
        string title = $"SPEARMAN {Optional(report.Spearman)}  PEARSON {Optional(report.Pearson)}  N {report.ScoredCount}";
        DrawFrame(image, title, "PREDICTED DEFOCUS UM", microns ? "LABEL DEFOCUS UM" : "LABEL Z STEPS FROM BEST FOCUS", max, TickStep(max), xMax, TickStep(xMax));
        if (microns)
        {
            Canvas.Line(image, X(0, max), Y(0, max), X(max, max), Y(max, max), 1, Guide, dash: 4);
        }

        Canvas.Line(image, X(0, xMax), Y(report.ThresholdMicrons, max), X(xMax, xMax), Y(report.ThresholdMicrons, max), 1, DefocusPalette.Ink, dash: 6);
        BitmapFont.Draw(image, $"NOW {Number(report.ThresholdMicrons, "0.00")} UM", Left + 6, (int)Y(report.ThresholdMicrons, max) - 14, TextScale, DefocusPalette.Ink);
        if (report.BestThresholdMicrons is double best)
        {
            Canvas.Line(image, X(0, xMax), Y(best, max), X(xMax, xMax), Y(best, max), 1, Best, dash: 6);
            string label = $"BEST {Number(best, "0.00")} UM";
            BitmapFont.Draw(image, label, Left + Side - BitmapFont.Measure(label, TextScale) - 6, (int)Y(best, max) + 4, TextScale, Best);
        }

        foreach (var tile in tiles)
        {
            var colour = microns ? DefocusPalette.ForDefocus(Math.Abs(tile.Label), report.ThresholdMicrons) : Curve;
            Canvas.Fill(image, (int)X(Math.Abs(tile.Label), xMax) - 3, (int)Y(tile.PredictedMicrons!.Value, max) - 3, 7, 7, DefocusPalette.Ink);
            Canvas.Fill(image, (int)X(Math.Abs(tile.Label), xMax) - 2, (int)Y(tile.PredictedMicrons!.Value, max) - 2, 5, 5, colour);
        }
    }

    private static void DrawFrame(Image<Rgb24> image, string title, string yTitle, string xTitle, double yMax, double yStep, double? xMax = null, double? xStep = null)
    {
        double xm = xMax ?? yMax, xs = xStep ?? yStep;
        BitmapFont.Draw(image, title, Left, 12, TextScale, DefocusPalette.Ink);
        BitmapFont.Draw(image, yTitle, Left - 40, Top - 22, TextScale, DefocusPalette.Ink);
        BitmapFont.Draw(image, xTitle, Left + (Side - BitmapFont.Measure(xTitle, TextScale)) / 2, Top + Side + 36, TextScale, DefocusPalette.Ink);
        foreach (double v in Ticks(yMax, yStep))
        {
            Canvas.Line(image, Left, Y(v, yMax), Left + Side, Y(v, yMax), 1, Grid);
            string label = Number(v, "0.#");
            BitmapFont.Draw(image, label, Left - 8 - BitmapFont.Measure(label, TextScale), (int)Y(v, yMax) - 5, TextScale, DefocusPalette.Ink);
        }

        foreach (double v in Ticks(xm, xs))
        {
            Canvas.Line(image, X(v, xm), Top, X(v, xm), Top + Side, 1, Grid);
            string label = Number(v, "0.#");
            BitmapFont.Draw(image, label, (int)X(v, xm) - BitmapFont.Measure(label, TextScale) / 2, Top + Side + 10, TextScale, DefocusPalette.Ink);
        }

        Canvas.Line(image, Left, Top, Left, Top + Side, 2, DefocusPalette.Ink);
        Canvas.Line(image, Left, Top + Side, Left + Side, Top + Side, 2, DefocusPalette.Ink);
    }

    private static int LabelY(double y) => Math.Clamp((int)y + 12, Top + 4, Top + Side - 28);

    private static void Label(Image<Rgb24> image, double x, int y, Rgb24 colour, string text) =>
        BitmapFont.Draw(image, text, Math.Clamp((int)x + 14, Left + 4, Left + Side - BitmapFont.Measure(text, TextScale)), y, TextScale, colour);

    private static IEnumerable<double> Ticks(double max, double step)
    {
        for (int i = 0; i * step <= max + 1e-9; i++)
        {
            yield return i * step;
        }
    }

    private static double NiceMax(double value) => Math.Max(1, Math.Ceiling(value * 1.05));

    private static double TickStep(double max) => max <= 1 ? 0.2 : max <= 6 ? 1 : max <= 12 ? 2 : Math.Ceiling(max / 6);

    private static double X(double value, double max) => Left + value / max * Side;

    private static double Y(double value, double max) => Top + Side - value / max * Side;

    private static string Optional(double? value) => value is double v ? Number(v, "0.000") : "-";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
