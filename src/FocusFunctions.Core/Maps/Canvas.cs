using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.Core.Maps;

internal static class Canvas
{
    /// <summary>Fills a rectangle, clipped to the image.</summary>
    public static void Fill(Image<Rgb24> image, int x, int y, int width, int height, Rgb24 colour)
    {
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y);
        int x1 = Math.Min(image.Width, x + width), y1 = Math.Min(image.Height, y + height);
        for (int row = y0; row < y1; row++)
        {
            for (int column = x0; column < x1; column++)
            {
                image[column, row] = colour;
            }
        }
    }

    /// <summary>A straight line of square dots <paramref name="width"/> pixels wide; dashed in runs of <paramref name="dash"/> dots when above 0.</summary>
    public static void Line(Image<Rgb24> image, double x0, double y0, double x1, double y1, int width, Rgb24 colour, int dash = 0)
    {
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0)));
        for (int i = 0; i <= steps; i++)
        {
            if (dash > 0 && i / dash % 2 == 1)
            {
                continue;
            }

            double t = steps == 0 ? 0 : (double)i / steps;
            int x = (int)Math.Round(x0 + (x1 - x0) * t) - width / 2, y = (int)Math.Round(y0 + (y1 - y0) * t) - width / 2;
            Fill(image, x, y, width, width, colour);
        }
    }

    /// <summary>Draws <paramref name="picture"/> scaled to a square of <paramref name="size"/> (its middle, cropped to square).</summary>
    public static void Draw(Image<Rgb24> image, Image<Rgb24> picture, int x, int y, int size)
    {
        int side = Math.Min(picture.Width, picture.Height);
        var square = new Rectangle((picture.Width - side) / 2, (picture.Height - side) / 2, side, side);
        using var scaled = picture.Clone(p => p.Crop(square).Resize(size, size));
        image.Mutate(m => m.DrawImage(scaled, new Point(x, y), 1f));
    }
}
