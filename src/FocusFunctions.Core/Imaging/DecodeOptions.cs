using System.ComponentModel.DataAnnotations;

namespace FocusFunctions.Core.Imaging;

/// <summary>What the decoder accepts. Bound from the "Scoring" configuration section (its historic name).</summary>
public sealed class DecodeOptions
{
    public const string SectionName = "Scoring";

    /// <summary>Inputs larger than this are refused before decoding.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Headers announcing more pixels than this are refused before decoding (decompression bombs).</summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputPixels { get; set; } = 100_000_000;

    /// <summary>Multi-page TIFF: the first page, or the sharpest by standard deviation (a z-stack).</summary>
    public TiffPageSelection TiffPage { get; set; } = TiffPageSelection.First;
}

public enum TiffPageSelection
{
    First,
    Sharpest,
}
