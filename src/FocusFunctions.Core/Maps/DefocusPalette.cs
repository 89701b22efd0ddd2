using System.Globalization;
using SixLabors.ImageSharp.PixelFormats;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Maps;

/// <summary>
/// Colours for defocus, one definition for the PNG maps and the HTML report: viridis (van der Walt and Smith's
/// perceptually uniform map, readable with every common colour-vision deficiency and in grey-scale print) from 0 µm
/// (dark violet) to twice the rejection threshold and beyond (yellow), so the threshold sits at teal, mid-scale,
/// whatever its value. No tissue and failed lie outside the scale: light grey and near-black. What the model cannot
/// judge (an Indeterminate tile, an undecided patch) keeps its defocus colour under stripes of magenta, a hue viridis
/// never takes, so the stripes, not the hue alone, tell it apart in grey-scale and for every colour vision.
/// </summary>
public static class DefocusPalette
{
    /// <summary>Viridis at nine evenly spaced points (its published values, as in matplotlib and viridisLite).</summary>
    public static readonly IReadOnlyList<Rgb24> Stops =
    [
        new(0x44, 0x01, 0x54), new(0x47, 0x2D, 0x7B), new(0x3B, 0x52, 0x8B), new(0x2C, 0x72, 0x8E), new(0x21, 0x90, 0x8C),
        new(0x27, 0xAD, 0x81), new(0x5D, 0xC8, 0x63), new(0xAA, 0xDC, 0x32), new(0xFD, 0xE7, 0x25),
    ];

    public static readonly Rgb24 Sharp = Stops[0];
    public static readonly Rgb24 AtThreshold = Stops[Stops.Count / 2];
    public static readonly Rgb24 Blurred = Stops[^1];
    public static readonly Rgb24 NoTissue = new(205, 205, 205);
    public static readonly Rgb24 Failed = new(20, 20, 20);
    public static readonly Rgb24 Indeterminate = new(214, 39, 140);
    public static readonly Rgb24 Background = new(255, 255, 255);
    public static readonly Rgb24 Ink = new(30, 30, 30);

    /// <summary>Where <paramref name="defocusMicrons"/> lies on the scale, 0 to 1: the threshold is 0.5.</summary>
    public static double Position(double defocusMicrons, double thresholdMicrons) =>
        Math.Clamp(defocusMicrons / (2 * thresholdMicrons), 0, 1);

    public static Rgb24 ForDefocus(double defocusMicrons, double thresholdMicrons)
    {
        double scaled = Position(defocusMicrons, thresholdMicrons) * (Stops.Count - 1);
        int lower = Math.Min((int)scaled, Stops.Count - 2);
        return Lerp(Stops[lower], Stops[lower + 1], scaled - lower);
    }

    public static Rgb24 For(FocusVerdict verdict, double? defocusMicrons, double thresholdMicrons) => verdict switch
    {
        FocusVerdict.Failed => Failed,
        FocusVerdict.NoTissue => NoTissue,
        FocusVerdict.Indeterminate when defocusMicrons is null => Indeterminate,
        _ when defocusMicrons is { } d => ForDefocus(d, thresholdMicrons),
        _ => NoTissue,
    };

    /// <summary>CSS notation, e.g. #21908c.</summary>
    public static string Hex(Rgb24 colour) =>
        string.Create(CultureInfo.InvariantCulture, $"#{colour.R:x2}{colour.G:x2}{colour.B:x2}");

    private static Rgb24 Lerp(Rgb24 a, Rgb24 b, double t) => new(
        (byte)Math.Round(a.R + (b.R - a.R) * t),
        (byte)Math.Round(a.G + (b.G - a.G) * t),
        (byte)Math.Round(a.B + (b.B - a.B) * t));
}
