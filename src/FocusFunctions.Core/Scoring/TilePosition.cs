using System.Text.RegularExpressions;

namespace FocusFunctions.Core.Scoring;

/// <summary>Finds a tile's grid position in its name, e.g. <c>slide7/x012_y034.png</c> → (12, 34).</summary>
public static class TilePosition
{
    public const string DefaultPattern = @"x(?<x>\d+)_y(?<y>\d+)";

    public static (int X, int Y)? Parse(string name, Regex pattern)
    {
        var match = pattern.Match(Path.GetFileName(name));
        if (!match.Success || !int.TryParse(match.Groups["x"].Value, out int x) || !int.TryParse(match.Groups["y"].Value, out int y))
        {
            return null;
        }

        return (x, y);
    }
}
