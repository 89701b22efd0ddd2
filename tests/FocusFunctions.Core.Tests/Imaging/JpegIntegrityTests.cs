using System.Diagnostics;
using SixLabors.ImageSharp.Formats.Jpeg;

namespace FocusFunctions.Core.Tests.Imaging;

/// <summary>Issue 24 item 3: what real scanners write (trailers after EOI, restart markers, progressive) is decoded; JPEGs cut short are refused.</summary>
public class JpegIntegrityTests
{
    private static readonly DecodeLimits Limits = new(64L * 1024 * 1024, 50_000_000, TiffPageSelection.First);

    public static TheoryData<string> Encodings => ["baseline-444", "baseline-420", "grey", "pil-progressive", "pil-restart", "pil-progressive-restart"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decode_ValidJpeg_IsDecoded(string encoding)
    {
        var jpeg = Encode(encoding);

        Assert.Equal(200, TileDecoder.Decode(jpeg, Limits).Image.Width);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decode_ValidJpegWithATrailerAfterItsEndMarker_DecodesAsWithout(string encoding)
    {
        var jpeg = Encode(encoding);
        var trailer = new byte[4096];
        new Random(7).NextBytes(trailer);
        "SCANNER-TRAILER\0"u8.CopyTo(trailer);

        var plain = TileDecoder.Decode(jpeg, Limits);
        var withTrailer = TileDecoder.Decode([.. jpeg, .. trailer], Limits);

        Assert.Equal(plain.Image.Pixels, withTrailer.Image.Pixels);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decode_TruncatedJpeg_IsRefused(string encoding)
    {
        var jpeg = Encode(encoding);

        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(jpeg[..(jpeg.Length * 2 / 3)], Limits));

        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Decode_TruncatedJpegWithAnEndMarkerAppended_IsRefused(string encoding)
    {
        var jpeg = Encode(encoding);

        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode([.. jpeg[..(jpeg.Length * 2 / 3)], 0xFF, 0xD9], Limits));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Decode_TruncatedBaselineJpeg_SaysHowManyMcusItHolds()
    {
        var jpeg = Encode("baseline-444");

        var error = Assert.Throws<TileDecodeException>(() => TileDecoder.Decode([.. jpeg[..(jpeg.Length / 2)], 0xFF, 0xD9], Limits));

        Assert.Matches(@"ends after \d+ of its 475 MCUs", error.Message);
    }

    [Fact]
    public void Decode_JpegWhoseEndMarkerIsOverwritten_IsRefused()
    {
        var jpeg = Encode("baseline-444");
        jpeg[^1] = 0x00; // the end marker gone: the structure walk runs into the end of the data

        Assert.Throws<TileDecodeException>(() => TileDecoder.Decode(jpeg, Limits));
    }

    internal static byte[] Encode(string encoding)
    {
        using var source = TestImages.Texture(200, 150);
        return encoding switch
        {
            "baseline-444" => TestImages.Encode(source, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio444 }),
            "baseline-420" => TestImages.Encode(source, new JpegEncoder { Quality = 90, ColorType = JpegColorType.YCbCrRatio420 }),
            "grey" => TestImages.Encode(source, new JpegEncoder { Quality = 90, ColorType = JpegColorType.Luminance }),
            "pil-progressive" => EncodeWithPillow(source, "progressive=True"),
            "pil-restart" => EncodeWithPillow(source, "restart_marker_blocks=3"),
            "pil-progressive-restart" => EncodeWithPillow(source, "progressive=True, restart_marker_rows=1"),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
        };
    }

    /// <summary>Progressive and restart-marker JPEGs, which ImageSharp 2.1 cannot write, written by Pillow (libjpeg).</summary>
    private static byte[] EncodeWithPillow(SixLabors.ImageSharp.Image source, string options)
    {
        string directory = Directory.CreateTempSubdirectory("jpeg-integrity").FullName;
        try
        {
            string input = Path.Combine(directory, "in.png"), output = Path.Combine(directory, "out.jpg");
            File.WriteAllBytes(input, TestImages.Encode(source, new SixLabors.ImageSharp.Formats.Png.PngEncoder()));
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"import sys; from PIL import Image; Image.open(sys.argv[1]).save(sys.argv[2], quality=90, {options})");
            start.ArgumentList.Add(input);
            start.ArgumentList.Add(output);
            using var process = Process.Start(start)!;
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, errors);
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
