using FocusFunctions.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.Core.Reports;

/// <summary>
/// Small JPEG thumbnails for the report, inlined as data URIs. Their size shrinks with the tile count so that a
/// 1,000-tile slide's page stays near 3 MB: about <see cref="BudgetBytes"/> of thumbnails whatever the count.
/// </summary>
public static class ReportThumbnails
{
    /// <summary>Encoded bytes for all thumbnails together (base64 adds a third on the page).</summary>
    public const int BudgetBytes = 1_600_000;

    public const int MinSide = 32;
    public const int MaxSide = 256;
    public const int Quality = 70;

    /// <summary>JPEG of H&amp;E at this quality takes about this many bytes per pixel, plus a fixed header.</summary>
    private const double BytesPerPixel = 0.45;
    private const int HeaderBytes = 600;

    /// <summary>Longest side in pixels for a slide of <paramref name="tileCount"/> tiles.</summary>
    public static int SideFor(int tileCount)
    {
        double perTile = (double)BudgetBytes / Math.Max(1, tileCount) - HeaderBytes;
        int side = perTile <= 0 ? MinSide : (int)Math.Sqrt(perTile / BytesPerPixel);
        return Math.Clamp(side, MinSide, MaxSide);
    }

    /// <summary>Decodes and shrinks a tile file for a picture (the CLI's mosaic); null when it cannot be decoded.</summary>
    public static Image<Rgb24>? LoadSmall(string path, int side)
    {
        try
        {
            var image = Image.Load<Rgb24>(TileDecoder.Formats, path);
            Shrink(image, side);
            return image;
        }
        catch (Exception ex) when (ex is ImageFormatException or NotSupportedException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Shrinks <paramref name="image"/> in place so its longer side is at most <paramref name="side"/> (area averaging).</summary>
    public static void Shrink(Image<Rgb24> image, int side)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        double scale = Math.Min(1.0, (double)side / Math.Max(image.Width, image.Height));
        if (scale < 1.0)
        {
            image.Mutate(x => x.Resize(Math.Max(1, (int)Math.Round(image.Width * scale)), Math.Max(1, (int)Math.Round(image.Height * scale)), KnownResamplers.Box));
        }
    }

    /// <summary>
    /// A thumbnail of an encoded image; null when it cannot be decoded or declares more than
    /// <paramref name="maxPixels"/> (the scorer's <see cref="DecodeOptions.MaxInputPixels"/>; a failed tile in quarantine may be a decompression bomb: its header is read first).
    /// </summary>
    public static byte[]? FromEncoded(Stream encoded, int side, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        try
        {
            var info = Image.Identify(TileDecoder.Formats, encoded);
            if (info is null || (long)info.Width * info.Height > maxPixels)
            {
                return null;
            }

            encoded.Position = 0;
            using var image = Image.Load<Rgb24>(TileDecoder.Formats, encoded);
            return FromImage(image, side);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // Whatever a broken file makes the decoder throw, the page shows the tile without a picture; its row
            // already carries the reason it failed.
            return null;
        }
    }

    /// <summary>Shrinks <paramref name="image"/> in place so its longer side is at most <paramref name="side"/>, then encodes it.</summary>
    public static byte[] FromImage(Image<Rgb24> image, int side)
    {
        Shrink(image, side);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = Quality });
        return jpeg.ToArray();
    }
}
