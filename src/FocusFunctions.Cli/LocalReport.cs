using System.Text.RegularExpressions;
using FocusFunctions.Core.Reports;

namespace FocusFunctions.Cli;

/// <summary>The report page of tiles scored on this machine, thumbnails read again from the files.</summary>
public static class LocalReport
{
    public static SlideReport Create(IReadOnlyList<(string Path, TileScore Score)> results, Regex tilePattern, IReadOnlyList<string> inputs)
    {
        int side = ReportThumbnails.SideFor(results.Count);
        var tiles = results.Select(r => (ReportTile.FromScore(r.Path, TilePosition.Parse(r.Path, tilePattern), r.Score, Thumbnail(r.Path, side)), r.Score)).ToList();
        string title = inputs.Count == 1 ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(inputs[0]))) : $"{results.Count} tiles";
        return SlideReport.FromScores(title, tiles, DateTimeOffset.UtcNow);
    }

    /// <summary>Writes the page; false (and a line on stderr) when it cannot be written.</summary>
    public static bool Write(string path, SlideReport report, TextWriter errors)
    {
        try
        {
            byte[] page = ReportPage.RenderUtf8(report);
            File.WriteAllBytes(path, page);
            errors.WriteLine($"focus: report written to {path} ({page.Length / 1024} KiB, {report.Tiles.Count} tiles): {report.Verdict.Headline}");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.WriteLine($"focus: no report written: {ex.Message}");
            return false;
        }
    }

    private static byte[]? Thumbnail(string path, int side)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return ReportThumbnails.FromEncoded(stream, side, new DecodeOptions().MaxInputPixels);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
