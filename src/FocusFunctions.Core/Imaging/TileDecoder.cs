using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Imaging;

/// <summary>
/// Decodes PNG, JPEG, TIFF and BMP into 8-bit sRGB. Sizes are checked from the header (Identify) before any pixel
/// is decoded, so a decompression bomb or a 100,000×100,000 header is refused without allocating it.
/// </summary>
public static class TileDecoder
{
    // Only the formats we promise; GIF, WebP and friends are refused with a clear message. Report thumbnails of failed
    // tiles decode with it too: a tile in quarantine may be a text-chunk bomb.
    internal static Configuration Formats => FormatsFor(new DecodeOptions().MaxInputPixels);

    private static readonly ConcurrentDictionary<long, Configuration> FormatsByPixelLimit = new();

    /// <summary>The formats, with an allocator that refuses any buffer larger than one RGBA frame of <paramref name="maxPixels"/>.</summary>
    internal static Configuration FormatsFor(long maxPixels) => FormatsByPixelLimit.GetOrAdd(maxPixels, CreateFormats);

    private static Configuration CreateFormats(long maxPixels)
    {
        var formats = new Configuration(
            new PngConfigurationModule(),
            new JpegConfigurationModule(),
            new TiffConfigurationModule(),
            new BmpConfigurationModule());

        // Whatever the data claims past its header, the decoder cannot ask for more than the frame the header check
        // allowed: a larger buffer is refused (InvalidMemoryOperationException), not allocated.
        long limitMegabytes = (maxPixels * 4 + (1L << 20) - 1) >> 20;
        formats.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = (int)Math.Clamp(limitMegabytes + 1, 1, int.MaxValue) });

        // Metadata is never read, so it is never decoded: PNG text chunks (zTXt, iTXt) are zlib streams a 600 KB file
        // can inflate to 400 MB, and JPEG APPn (EXIF, ICC, XMP, IPTC) and TIFF tag values are skipped, not parsed.
        // Identify uses the same decoders.
        formats.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        formats.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        formats.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { IgnoreMetadata = true });
        return formats;
    }

    public static DecodedTile Decode(Stream input, DecodeLimits limits)
    {
        using var buffer = ReadBounded(input, limits.MaxBytes);
        return Decode(buffer, limits);
    }

    public static DecodedTile Decode(byte[] input, DecodeLimits limits)
    {
        if (input.LongLength > limits.MaxBytes)
        {
            throw new TileDecodeException($"The file is {input.LongLength:N0} bytes; the limit is {limits.MaxBytes:N0} bytes.");
        }

        using var buffer = new MemoryStream(input, 0, input.Length, writable: false, publiclyVisible: true);
        return Decode(buffer, limits);
    }

    /// <summary>Tests only: decodes through RGBA and the composite on white even when the file has no alpha.</summary>
    internal static DecodedTile DecodeThroughRgba(byte[] input, DecodeLimits limits)
    {
        using var buffer = new MemoryStream(input, 0, input.Length, writable: false, publiclyVisible: true);
        return Decode(buffer, limits, forceRgba: true);
    }

    private static DecodedTile Decode(MemoryStream buffer, DecodeLimits limits, bool forceRgba = false)
    {
        if (buffer.Length == 0)
        {
            throw new TileDecodeException("The file is empty (0 bytes).");
        }

        var data = buffer.TryGetBuffer(out var bytes) ? bytes.AsSpan() : buffer.ToArray();
        TiffPages.ThrowIfTooMany(data, limits.MaxTiffPages);
        var formats = FormatsFor(limits.MaxPixels);
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            info = Image.Identify(formats, buffer, out format);
        }
        catch (Exception ex) when (IsImageSharpFailure(ex))
        {
            throw new TileDecodeException($"The image header is damaged: {ex.Message}", ex);
        }

        if (info is null || format is null)
        {
            throw new TileDecodeException("Not a supported image: expected PNG, JPEG, TIFF or BMP.");
        }

        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new TileDecodeException($"The {format.Name} header declares an empty image ({info.Width}x{info.Height}).");
        }

        if (pixels > limits.MaxPixels)
        {
            throw new TileDecodeException(
                $"The {format.Name} header declares {info.Width}x{info.Height} = {pixels:N0} pixels; the limit is {limits.MaxPixels:N0}.");
        }

        double aspectRatio = (double)Math.Max(info.Width, info.Height) / Math.Min(info.Width, info.Height);
        if (aspectRatio > limits.MaxAspectRatio)
        {
            throw new TileDecodeException(
                $"The {format.Name} header declares {info.Width:N0}x{info.Height:N0} px, an aspect ratio over the limit of {limits.MaxAspectRatio:N0}:1.");
        }

        if (format is JpegFormat)
        {
            JpegIntegrity.ThrowIfTruncated(data);
        }

        PngIntegrity.ThrowIfTruncated(data);
        TiffPages.ThrowIfFirstPageShort(data);
        bool sharpest = limits.TiffPage == TiffPageSelection.Sharpest && format is TiffFormat;
        if (sharpest)
        {
            // Every page of a z-stack is decoded to pick the sharpest: count them first, so a huge stack is refused
            // before it is allocated.
            int pages = TiffPages.Count(data) ?? throw new TileDecodeException(
                "The pages of this TIFF cannot be counted (BigTIFF or a broken page chain); the sharpest page cannot be chosen safely.");
            if ((long)pages * pixels > limits.MaxPixels * 4)
            {
                throw new TileDecodeException($"The TIFF z-stack has {pages} pages of {pixels:N0} pixels; that exceeds the decode limit.");
            }
        }

        buffer.Position = 0;
        try
        {
            IImageDecoder decoder = format switch
            {
                TiffFormat => new TiffDecoder { IgnoreMetadata = true, DecodingMode = sharpest ? FrameDecodingMode.All : FrameDecodingMode.First },
                _ => formats.ImageFormatsManager.FindDecoder(format),
            };

            if (!sharpest && !forceRgba && IsOpaque(format, info, data))
            {
                return DecodeOpaque(buffer, decoder, format, limits.MaxPixels);
            }

            using var image = Image.Load<Rgba32>(formats, buffer, decoder);
            int pageCount = image.Frames.Count;
            int page = sharpest ? SharpestPage(image) : 0;
            return new DecodedTile(ToRgb(image.Frames[page]), format.Name, pageCount, page);
        }
        catch (Exception ex) when (IsImageSharpFailure(ex))
        {
            throw new TileDecodeException($"The {format.Name} data cannot be decoded (truncated or corrupt): {ex.Message}", ex);
        }
    }

    private static readonly ConcurrentDictionary<long, Configuration> OpaqueFormatsByPixelLimit = new();

    /// <summary>
    /// A file that cannot carry alpha decodes straight to three bytes a pixel, into the array the tile keeps: the
    /// RGBA frame (4 B/px) and the copy out of it are never made. Its values are those of the RGBA path, where every
    /// pixel is opaque and the composite on white only drops the alpha byte.
    /// </summary>
    private static DecodedTile DecodeOpaque(MemoryStream buffer, IImageDecoder decoder, IImageFormat format, long maxPixels)
    {
        var formats = OpaqueFormatsByPixelLimit.GetOrAdd(maxPixels, limit =>
        {
            var configuration = FormatsFor(limit).Clone();
            configuration.MemoryAllocator = new ArrayAllocator(checked(limit * 4 + (1L << 20)));
            return configuration;
        });
        ArrayAllocator.StartCapture();
        using var image = Image.Load<Rgb24>(formats, buffer, decoder);
        var frame = image.Frames.RootFrame;
        byte[]? pixels = frame.DangerousTryGetSinglePixelMemory(out var memory) ? ArrayAllocator.ArrayOf(memory) : null;
        if (pixels is null)
        {
            // Not expected (the allocator never splits a buffer and the frame is the largest), but then copy rather than fail.
            pixels = new byte[checked(frame.Width * frame.Height * 3)];
            var target = pixels;
            frame.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.GetRowSpan(y)).CopyTo(target.AsSpan(y * rows.Width * 3));
                }
            });
        }

        return new DecodedTile(new RgbImage(frame.Width, frame.Height, pixels), format.Name, image.Frames.Count, 0);
    }

    /// <summary>
    /// Whether the file has no alpha channel and no transparent colour, so every decoded pixel is opaque: JPEG; PNG of
    /// colour type grey, RGB or palette without a tRNS chunk; 24-bit BMP. TIFF (extra samples) stays on the RGBA path.
    /// </summary>
    internal static bool IsOpaque(IImageFormat format, IImageInfo info, ReadOnlySpan<byte> data) => format switch
    {
        JpegFormat => true,
        PngFormat => PngIntegrity.IsOpaque(data),
        BmpFormat => info.PixelType?.BitsPerPixel == 24,
        _ => false,
    };

    // Found by the decoder fuzz test (docs/fuzzing.md): ImageSharp 2.1's JPEG Identify throws NullReferenceException
    // on a damaged frame, its TIFF deflate reader IOException (a seek before the start of the stream). The stream is
    // always our own MemoryStream, so an IOException is the data's fault. ArithmeticException: overflow, zero fields.
    private static bool IsImageSharpFailure(Exception ex) =>
        ex is ImageFormatException or UnknownImageFormatException or NotSupportedException or InvalidDataException
            or IOException or IndexOutOfRangeException or ArgumentException or InvalidOperationException
            or NullReferenceException or ArithmeticException;

    private static MemoryStream ReadBounded(Stream input, long maxBytes)
    {
        if (input.CanSeek && input.Length - input.Position > maxBytes)
        {
            throw new TileDecodeException($"The file is {input.Length - input.Position:N0} bytes; the limit is {maxBytes:N0} bytes.");
        }

        var buffer = input.CanSeek ? new MemoryStream(checked((int)(input.Length - input.Position))) : new MemoryStream();
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                buffer.Dispose();
                throw new TileDecodeException($"The file is larger than the limit of {maxBytes:N0} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>The page with the largest luminance standard deviation: the in-focus slice of a z-stack.</summary>
    private static int SharpestPage(Image<Rgba32> image)
    {
        int best = 0;
        double bestStd = double.NegativeInfinity;
        for (int i = 0; i < image.Frames.Count; i++)
        {
            double std = LuminanceStandardDeviation(ToRgb(image.Frames[i]));
            if (std > bestStd)
            {
                bestStd = std;
                best = i;
            }
        }

        return best;
    }

    internal static double LuminanceStandardDeviation(RgbImage image)
    {
        double sum = 0, sumSquares = 0;
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            double y = 0.299 * p[i] + 0.587 * p[i + 1] + 0.114 * p[i + 2];
            sum += y;
            sumSquares += y * y;
        }

        double n = p.Length / 3.0;
        double mean = sum / n;
        return Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean));
    }

    /// <summary>Composites any alpha on white (slides are backlit: missing data looks like glass).</summary>
    private static RgbImage ToRgb(ImageFrame<Rgba32> frame)
    {
        var rgb = RgbImage.Blank(frame.Width, frame.Height);
        int rowLength = frame.Width * 3;
        // Row by row from the decoder's own buffer: no intermediate copy of the whole frame.
        frame.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                RgbaOnWhite.Composite(rows.GetRowSpan(y), rgb.Pixels.AsSpan(y * rowLength, rowLength));
            }
        });

        return rgb;
    }
}
