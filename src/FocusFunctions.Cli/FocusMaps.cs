using System.Text.RegularExpressions;
using FocusFunctions.Core.Maps;

namespace FocusFunctions.Cli;

/// <summary>--map: one tile's patch grid, or, for several tiles named with grid positions, the slide mosaic.</summary>
public static class FocusMaps
{
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
            var placed = results
                .Select(r => (Position: TilePosition.Parse(r.Path, tilePattern), r.Score))
                .Where(r => r.Position is not null)
                .Select(r => (r.Position!.Value.X, r.Position.Value.Y, r.Score.DefocusMicrons, r.Score.Verdict))
                .ToList();
            if (placed.Count == 0)
            {
                errors.WriteLine($"focus: no map written: no tile name matches the grid pattern '{tilePattern}'.");
                return false;
            }

            if (placed.Count < results.Count)
            {
                errors.WriteLine($"focus: {results.Count - placed.Count} tiles without a grid position in their name are left off the map.");
            }

            png = FocusMapRenderer.RenderMosaic(placed, results[0].Score.ThresholdMicrons);
        }

        File.WriteAllBytes(path, png);
        errors.WriteLine($"focus: map written to {path}");
        return true;
    }
}
