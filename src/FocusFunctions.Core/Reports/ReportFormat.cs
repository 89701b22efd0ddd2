using System.Globalization;
using System.Text.Encodings.Web;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Reports;

/// <summary>How the page writes text, numbers and verdicts.</summary>
internal static class ReportFormat
{
    public static string Html(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Microns(double? value) =>
        value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + " µm" : "–";

    public static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Label(FocusVerdict verdict) => verdict switch
    {
        FocusVerdict.InFocus => "in focus",
        FocusVerdict.OutOfFocus => "out of focus",
        FocusVerdict.Indeterminate => "indeterminate",
        FocusVerdict.NoTissue => "no tissue",
        FocusVerdict.Failed => "failed",
        _ => verdict.ToString(),
    };

    /// <summary>A defocus interval, e.g. "0.20–1.80 µm"; "–" without one.</summary>
    public static string Interval(double? low, double? high) =>
        low is { } l && high is { } h ? $"{Number(l, "0.00")}–{Number(h, "0.00")} µm" : "–";

    /// <summary>The alternative text of a tile's picture: everything the cell shows, in words.</summary>
    public static string Describe(ReportTile tile) =>
        $"{tile.ShortName}: {Label(tile.Verdict)}" + (tile.DefocusMicrons is { } d ? $", {Microns(d)}" : "") +
        (tile.DefocusLowMicrons is not null ? $" (interval {Interval(tile.DefocusLowMicrons, tile.DefocusHighMicrons)})" : "") +
        (tile.Placed ? $", column {tile.X}, row {tile.Y}" : "");
}
