using System.Text.RegularExpressions;
using FocusFunctions.Core.Maps;
using FocusFunctions.Core.Reports;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Cli;

/// <summary>--map: one tile's patch grid, or, for several tiles named with grid positions, the slide mosaic.</summary>
public static class FocusMaps
{
    /// <summary>Mosaic cells are at most 64 px: pictures need no more.</summary>
    private const int PictureSide = 64;

    public static bool Write(string path, IReadOnlyList<(string Path, TileScore Score)> results, Regex tilePattern, TextWriter errors)
    {
        byte[] png;
        if (results.Count == 1)
        {
            var score = results[0].Score;
            if (score.Grid is null)
            {
                errors.WriteLine($"focus: no map written: {results[0].Path} was not scored ({score.Error}).");
                return false;
            }

            png = FocusMapRenderer.RenderTile(score);
        }
        else
        {
            var located = results
                .Select(r => (Position: TilePosition.Parse(r.Path, tilePattern), r.Path, r.Score))
                .Where(r => r.Position is not null)
                .ToList();
            var placed = located.Select(r => (r.Position!.Value.X, r.Position.Value.Y, r.Score.DefocusMicrons, r.Score.Verdict)).ToList();
            if (placed.Count == 0)
            {
                errors.WriteLine($"focus: no map written: no tile name matches the grid pattern '{tilePattern}'.");
                return false;
            }

            if (placed.Count < results.Count)
            {
                errors.WriteLine($"focus: {results.Count - placed.Count} tiles without a grid position in their name are left off the map.");
            }

            png = RenderWithPictures(placed, located.Where(r => r.Score.Verdict != FocusVerdict.Failed).Select(r => (r.Position!.Value, r.Path)),
                results[0].Score.ThresholdMicrons);
        }

        File.WriteAllBytes(path, png);
        errors.WriteLine($"focus: map written to {path}");
        return true;
    }

    /// <summary>The mosaic with each readable tile's picture inside its colour frame (the tiles are at hand here).</summary>
    private static byte[] RenderWithPictures(IReadOnlyList<(int X, int Y, double? DefocusMicrons, FocusVerdict Verdict)> placed,
        IEnumerable<((int X, int Y) Position, string Path)> files, double threshold)
    {
        var pictures = new Dictionary<(int X, int Y), Image<Rgb24>>();
        try
        {
            foreach (var (position, file) in files)
            {
                if (ReportThumbnails.LoadSmall(file, PictureSide) is { } picture)
                {
                    pictures[position] = picture;
                }
            }

            return FocusMapRenderer.RenderMosaic(placed, threshold, pictures);
        }
        finally
        {
            foreach (var picture in pictures.Values)
            {
                picture.Dispose();
            }
        }
    }
}
