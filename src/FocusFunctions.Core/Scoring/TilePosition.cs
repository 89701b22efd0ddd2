using System.Globalization;
using System.Text.RegularExpressions;

namespace FocusFunctions.Core.Scoring;

/// <summary>Finds a tile's grid position in its file name, e.g. <c>slide7/x012_y034.png</c> → (12, 34).</summary>
public static class TilePosition
{
    public const string DefaultPattern = @"x(?<x>\d+)_y(?<y>\d+)";

    /// <summary>The position from the file-name part of <paramref name="name"/>, using a pattern with named groups x and y.</summary>
    public static (int X, int Y)? Parse(string name, Regex pattern)
    {
        var match = pattern.Match(Path.GetFileName(name));
        return match.Success
            && int.TryParse(match.Groups["x"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int x)
            && int.TryParse(match.Groups["y"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int y)
                ? (x, y)
                : null;
    }
}
