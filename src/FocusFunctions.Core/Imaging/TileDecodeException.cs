namespace FocusFunctions.Core.Imaging;

/// <summary>The input cannot be turned into an image; the message is written for a person.</summary>
public sealed class TileDecodeException(string message, Exception? inner = null) : Exception(message, inner);
