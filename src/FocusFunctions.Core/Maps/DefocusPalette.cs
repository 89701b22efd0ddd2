using SixLabors.ImageSharp.PixelFormats;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Maps;

/// <summary>
/// Colours for defocus: green at 0 µm, yellow at the rejection threshold, red at twice the threshold and beyond, so
/// the threshold is where the map turns from green to warm whatever its value.
/// </summary>
public static class DefocusPalette
{
    public static readonly Rgb24 Sharp = new(26, 152, 80);
    public static readonly Rgb24 AtThreshold = new(254, 224, 80);
    public static readonly Rgb24 Blurred = new(215, 48, 39);
    public static readonly Rgb24 NoTissue = new(205, 205, 205);
    public static readonly Rgb24 Failed = new(40, 40, 40);
    public static readonly Rgb24 Background = new(255, 255, 255);
    public static readonly Rgb24 Ink = new(30, 30, 30);

    public static Rgb24 ForDefocus(double defocusMicrons, double thresholdMicrons)
    {
        double t = Math.Clamp(defocusMicrons / (2 * thresholdMicrons), 0, 1);
        return t <= 0.5 ? Lerp(Sharp, AtThreshold, t * 2) : Lerp(AtThreshold, Blurred, (t - 0.5) * 2);
    }

    public static Rgb24 For(FocusVerdict verdict, double? defocusMicrons, double thresholdMicrons) => verdict switch
    {
        FocusVerdict.Failed => Failed,
        FocusVerdict.NoTissue => NoTissue,
        _ when defocusMicrons is { } d => ForDefocus(d, thresholdMicrons),
        _ => NoTissue,
    };

    private static Rgb24 Lerp(Rgb24 a, Rgb24 b, double t) => new(
        (byte)Math.Round(a.R + (b.R - a.R) * t),
        (byte)Math.Round(a.G + (b.G - a.G) * t),
        (byte)Math.Round(a.B + (b.B - a.B) * t));
}
