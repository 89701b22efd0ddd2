using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

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
}
