using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Maps;

/// <summary>
/// Heat maps of defocus as PNG: one tile's patch grid (the CLI's --map) or a slide's tiles laid out by grid position
/// (the HTTP API's focusmap.png), each with a colour bar labelled in µm and swatches for no tissue, failed and
/// undecided (Indeterminate tiles, undecided patches: their defocus colour under magenta stripes).
/// </summary>
public static class FocusMapRenderer
{
    /// <summary>Largest number of cells along one axis of a map.</summary>
    public const int MaxCellsPerAxis = 2048;

    private const int Margin = 8;
    private const int MinLegendWidth = 260;
    private const int TextScale = 2;

    /// <summary>
    /// A tile's patches coloured by defocus; patches without enough tissue grey; patches whose interval straddles the
    /// threshold (models with a scale) striped. A tile without a grid is one dark cell.
    /// </summary>
    public static byte[] RenderTile(TileScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        double threshold = score.ThresholdMicrons > 0 ? score.ThresholdMicrons : ScoringOptions.DefaultRejectAboveMicrons;
        var cells = score.Grid is { } grid
            ? grid.Patches.Select(p => new Cell(p.Column, p.Row, p.DefocusMicrons is { } d ? DefocusPalette.ForDefocus(d, threshold) : DefocusPalette.NoTissue,
                null, p.Judgement(threshold) == PatchJudgement.Undecided))
            : [new Cell(0, 0, DefocusPalette.Failed, null, false)];
        return Render(cells.ToList(), threshold, targetSize: 480);
    }

    /// <summary>
    /// A slide's tiles at their grid positions (X right, Y down); positions without a tile stay white. Tiles with a
    /// picture in <paramref name="pictures"/> (by grid position) show it inside a frame of their colour.
    /// </summary>
    public static byte[] RenderMosaic(IEnumerable<(int X, int Y, double? DefocusMicrons, FocusVerdict Verdict)> tiles, double thresholdMicrons = ScoringOptions.DefaultRejectAboveMicrons,
        IReadOnlyDictionary<(int X, int Y), Image<Rgb24>>? pictures = null)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thresholdMicrons);
        var list = tiles.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A mosaic needs at least one tile.", nameof(tiles));
        }

        int minX = list.Min(t => t.X), minY = list.Min(t => t.Y);
        var cells = list.Select(t => new Cell(t.X - minX, t.Y - minY, DefocusPalette.For(t.Verdict, t.DefocusMicrons, thresholdMicrons),
            pictures?.GetValueOrDefault((t.X, t.Y)), t.Verdict == FocusVerdict.Indeterminate)).ToList();
        return Render(cells, thresholdMicrons, targetSize: 768);
    }

    private readonly record struct Cell(int Column, int Row, Rgb24 Colour, Image<Rgb24>? Picture, bool Striped);

    /// <summary>Magenta stripes over a square (every other diagonal band of about a sixth of its side).</summary>
    private static void Stripe(Image<Rgb24> image, int x, int y, int size)
    {
        int band = Math.Max(1, size / 6);
        for (int row = 0; row < size; row++)
        {
            for (int column = 0; column < size; column++)
            {
                if ((column + row) / band % 2 == 0 && x + column < image.Width && y + row < image.Height)
                {
                    image[x + column, y + row] = DefocusPalette.Indeterminate;
                }
            }
        }
    }

    private static byte[] Render(IReadOnlyList<Cell> cells, double threshold, int targetSize)
    {
        int columns = cells.Max(c => c.Column) + 1, rows = cells.Max(c => c.Row) + 1;
        if (columns > MaxCellsPerAxis || rows > MaxCellsPerAxis)
        {
            throw new ArgumentException($"The map would be {columns}x{rows} cells; at most {MaxCellsPerAxis} per side are drawn.");
        }

        int cell = Math.Clamp(targetSize / Math.Max(columns, rows), 2, 64);
        int gap = cell >= 8 ? 1 : 0;
        int mapWidth = columns * cell, mapHeight = rows * cell;
        int width = Math.Max(mapWidth, MinLegendWidth) + 2 * Margin;
        int legendTop = Margin + mapHeight + Margin;
        int height = legendTop + Legend.Height + Margin;

        using var image = new Image<Rgb24>(width, height, DefocusPalette.Background);
        foreach (var (column, row, colour, picture, striped) in cells)
        {
            int x = Margin + column * cell, y = Margin + row * cell, size = cell - gap;
            Canvas.Fill(image, x, y, size, size, colour);
            if (striped)
            {
                Stripe(image, x, y, size);
            }

            // The picture inside a frame of the tile's colour, when the cell is large enough for both to be seen.
            int frame = Math.Max(2, size / 8);
            if (picture is not null && size - 2 * frame >= 8)
            {
                Canvas.Draw(image, picture, x + frame, y + frame, size - 2 * frame);
            }
        }

        Legend.Draw(image, Margin, legendTop, width - 2 * Margin, threshold);
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }

    private static class Legend
    {
        private const int BarHeight = 12;
        private const int TextHeight = BitmapFont.Height * TextScale;

        public const int Height = BarHeight + 4 + TextHeight + 8 + TextHeight;

        public static void Draw(Image<Rgb24> image, int left, int top, int width, double threshold)
        {
            int barWidth = width - 40;
            for (int x = 0; x < barWidth; x++)
            {
                var colour = DefocusPalette.ForDefocus(2 * threshold * x / (barWidth - 1), threshold);
                Canvas.Fill(image, left + x, top, 1, BarHeight, colour);
            }

            int labelsTop = top + BarHeight + 4;
            foreach (var (value, fraction) in new[] { (0.0, 0.0), (threshold, 0.5), (2 * threshold, 1.0) })
            {
                int tickX = left + (int)Math.Round(fraction * (barWidth - 1));
                Canvas.Fill(image, tickX, top + BarHeight, 1, 3, DefocusPalette.Ink);
                string label = (fraction == 1.0 ? ">" : "") + value.ToString("0.#", CultureInfo.InvariantCulture);
                int labelWidth = BitmapFont.Measure(label, TextScale);
                int labelX = Math.Clamp(tickX - labelWidth / 2, left, left + barWidth - labelWidth);
                BitmapFont.Draw(image, label, labelX, labelsTop, TextScale, DefocusPalette.Ink);
            }

            BitmapFont.Draw(image, "UM", left + barWidth + 8, top, TextScale, DefocusPalette.Ink);

            int swatchesTop = labelsTop + TextHeight + 8;
            int x0 = left;
            foreach (var (colour, label, striped) in new[] { (DefocusPalette.NoTissue, "NO TISSUE", false), (DefocusPalette.Failed, "FAILED", false), (DefocusPalette.NoTissue, "UNDECIDED", true) })
            {
                Canvas.Fill(image, x0, swatchesTop, TextHeight, TextHeight, colour);
                if (striped)
                {
                    Stripe(image, x0, swatchesTop, TextHeight);
                }

                BitmapFont.Draw(image, label, x0 + TextHeight + 4, swatchesTop, TextScale, DefocusPalette.Ink);
                x0 += TextHeight + 4 + BitmapFont.Measure(label, TextScale) + 16;
            }
        }
    }
}
