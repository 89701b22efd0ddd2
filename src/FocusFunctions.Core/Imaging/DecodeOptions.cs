using System.ComponentModel.DataAnnotations;

namespace FocusFunctions.Core.Imaging;

/// <summary>What the decoder accepts. Bound from the "Scoring" configuration section (its historic name).</summary>
public sealed class DecodeOptions
{
    public const string SectionName = "Scoring";

    /// <summary>Inputs larger than this are refused before decoding.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Headers announcing more pixels than this are refused before decoding (decompression bombs), and so are tiles
    /// that resampling to the model's pixel size would enlarge past it. The default keeps one `focus score` process
    /// under 400 MiB for the worst file inside the limits (an RGBA PNG of 40 MP: 384 MiB, about 7 bytes a pixel plus
    /// the runtime and model; docs/performance.md); raise it for larger tiles on larger instances.
    /// </summary>
    [Range(1L, long.MaxValue)]
    public long MaxInputPixels { get; set; } = DefaultMaxInputPixels;

    public const long DefaultMaxInputPixels = 40_000_000;

    /// <summary>
    /// Headers whose long side is more than this many times the short side are refused before decoding: no scan tile
    /// is a 1×3,000,000 strip, and such shapes defeat the patch grid.
    /// </summary>
    [Range(1.0, double.MaxValue)]
    public double MaxAspectRatio { get; set; } = DefaultMaxAspectRatio;

    public const double DefaultMaxAspectRatio = 64;

    /// <summary>
    /// Tiles that would cover more model patches than this (at the model's pixel size) are refused before resampling:
    /// it bounds the patch tensor (4 bytes × 3 × 320² each: 2,048 is 2.5 GB). 40 MP at 320 px patches is about 400.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxPatches { get; set; } = 2048;

    /// <summary>
    /// TIFFs with more pages (IFDs) than this are refused before any page is parsed: the decoder reads every page's
    /// tags even when it decodes only the first, about 7 KB each (a 2 MB file of 20,000 pages cost 150 MB).
    /// </summary>
    [Range(1, 65_535)]
    public int MaxTiffPages { get; set; } = DefaultMaxTiffPages;

    public const int DefaultMaxTiffPages = 256;

    /// <summary>Multi-page TIFF: the first page, or the sharpest by standard deviation (a z-stack).</summary>
    public TiffPageSelection TiffPage { get; set; } = TiffPageSelection.First;
}

public enum TiffPageSelection
{
    First,
    Sharpest,
}
