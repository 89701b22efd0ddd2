namespace FocusFunctions.Core.Imaging;

/// <summary>A decoded tile with what was learned about its encoding.</summary>
public sealed record DecodedTile(RgbImage Image, string Format, int PageCount, int PageUsed);
