using FocusFunctions.Core.Reports;

namespace FocusFunctions.Core.Tests.Reports;

/// <summary>Report tiles made by hand, for page tests that need no model and no storage.</summary>
internal static class ReportSamples
{
    public static ReportTile Tile(string name, int? x, int? y, FocusVerdict verdict, double? defocus, string location = "Tiles", string? error = null,
        byte[]? thumbnail = null) =>
        new(name, x, y, verdict, defocus, defocus is { } d ? d + 0.5 : null, verdict == FocusVerdict.NoTissue ? 0.0 : 0.8, location, error,
            2, 1, defocus is { } p ? [p, null] : [], thumbnail);

    public static SlideReport Slide(params ReportTile[] tiles) =>
        new("slide-7", tiles, 2.0, "focusnet", "1.1.0", new DateTimeOffset(2026, 12, 4, 10, 30, 0, TimeSpan.Zero));

    /// <summary>3 x 2: two sharp, one blurred (rejected), one background, one unreadable, one position empty; one tile without a position.</summary>
    public static SlideReport Mixed() => Slide(
        Tile("slide-7/x000_y000.png", 0, 0, FocusVerdict.InFocus, 0.1),
        Tile("slide-7/x001_y000.png", 1, 0, FocusVerdict.InFocus, 0.4),
        Tile("slide-7/x002_y000.png", 2, 0, FocusVerdict.Failed, null, "Quarantine", "The PNG file is cut short."),
        Tile("slide-7/x000_y001.png", 0, 1, FocusVerdict.OutOfFocus, 4.2, "Rejected"),
        Tile("slide-7/x001_y001.png", 1, 1, FocusVerdict.NoTissue, null),
        Tile("slide-7/extra.png", null, null, FocusVerdict.InFocus, 1.0));
}
