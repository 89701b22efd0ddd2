using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Tests.Support;

public static class TestImages
{
    /// <summary>A deterministic, textured RGB image (a stand-in for stained tissue in format tests).</summary>
    public static Image<Rgb24> Texture(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)random.Next(120, 230), (byte)random.Next(40, 160), (byte)random.Next(110, 210));
            }
        }

        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    public static RgbImage ToRgb(Image<Rgb24> image)
    {
        var pixels = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var bytes = new byte[pixels.Length * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            bytes[3 * i] = pixels[i].R;
            bytes[3 * i + 1] = pixels[i].G;
            bytes[3 * i + 2] = pixels[i].B;
        }

        return new RgbImage(image.Width, image.Height, bytes);
    }

    public static RgbImage LoadShared(string fileName)
    {
        using var image = Image.Load<Rgb24>(Path.Combine(RepositoryPaths.Histology, fileName));
        return ToRgb(image);
    }

    public static RgbImage Solid(int width, int height, byte r, byte g, byte b)
    {
        var image = RgbImage.Blank(width, height);
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            image.Pixels[i] = r;
            image.Pixels[i + 1] = g;
            image.Pixels[i + 2] = b;
        }

        return image;
    }
}
