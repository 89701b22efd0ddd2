namespace FocusFunctions.Core.Imaging;

/// <summary>What the decoder accepts; checked before any pixel is decoded.</summary>
public sealed record DecodeLimits(long MaxBytes, long MaxPixels, TiffPageSelection TiffPage, double MaxAspectRatio = DecodeOptions.DefaultMaxAspectRatio,
    int MaxTiffPages = DecodeOptions.DefaultMaxTiffPages)
{
    public static DecodeLimits From(DecodeOptions options) =>
        new(options.MaxInputBytes, options.MaxInputPixels, options.TiffPage, options.MaxAspectRatio, options.MaxTiffPages);
}
