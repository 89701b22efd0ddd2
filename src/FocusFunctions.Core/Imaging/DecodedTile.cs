namespace FocusFunctions.Core.Imaging;

/// <summary>A decoded tile. PageCount counts the pages decoded: 1 unless the sharpest TIFF page was asked for.</summary>
public sealed record DecodedTile(RgbImage Image, string Format, int PageCount, int PageUsed);
