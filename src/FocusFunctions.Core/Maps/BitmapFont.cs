using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Maps;

/// <summary>
/// A tiny 5-pixel-high bitmap font for legend and plot labels: the machines that render maps have no system fonts, and a
/// font package would be a large dependency for a dozen characters.
/// </summary>
internal static class BitmapFont
{
    public const int Height = 5;

    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['0'] = ["###", "#.#", "#.#", "#.#", "###"],
        ['1'] = [".#.", "##.", ".#.", ".#.", "###"],
        ['2'] = ["###", "..#", "###", "#..", "###"],
        ['3'] = ["###", "..#", ".##", "..#", "###"],
        ['4'] = ["#.#", "#.#", "###", "..#", "..#"],
        ['5'] = ["###", "#..", "###", "..#", "###"],
        ['6'] = ["###", "#..", "###", "#.#", "###"],
        ['7'] = ["###", "..#", ".#.", ".#.", ".#."],
        ['8'] = ["###", "#.#", "###", "#.#", "###"],
        ['9'] = ["###", "#.#", "###", "..#", "###"],
        ['.'] = [".", ".", ".", ".", "#"],
        ['>'] = ["#..", ".#.", "..#", ".#.", "#.."],
        [' '] = ["..", "..", "..", "..", ".."],
        ['A'] = [".#.", "#.#", "###", "#.#", "#.#"],
        ['D'] = ["##.", "#.#", "#.#", "#.#", "##."],
        ['E'] = ["###", "#..", "##.", "#..", "###"],
        ['F'] = ["###", "#..", "##.", "#..", "#.."],
        ['I'] = ["###", ".#.", ".#.", ".#.", "###"],
        ['L'] = ["#..", "#..", "#..", "#..", "###"],
        ['M'] = ["#...#", "##.##", "#.#.#", "#...#", "#...#"],
        ['N'] = ["#..#", "##.#", "#.##", "#..#", "#..#"],
        ['O'] = ["###", "#.#", "#.#", "#.#", "###"],
        ['S'] = ["###", "#..", "###", "..#", "###"],
        ['T'] = ["###", ".#.", ".#.", ".#.", ".#."],
        ['U'] = ["#.#", "#.#", "#.#", "#.#", "###"],
        ['B'] = ["##.", "#.#", "##.", "#.#", "##."],
        ['C'] = ["###", "#..", "#..", "#..", "###"],
        ['G'] = ["###", "#..", "#.#", "#.#", "###"],
        ['H'] = ["#.#", "#.#", "###", "#.#", "#.#"],
        ['K'] = ["#.#", "#.#", "##.", "#.#", "#.#"],
        ['P'] = ["###", "#.#", "###", "#..", "#.."],
        ['R'] = ["##.", "#.#", "##.", "#.#", "#.#"],
        ['V'] = ["#.#", "#.#", "#.#", "#.#", ".#."],
        ['W'] = ["#...#", "#...#", "#.#.#", "##.##", "#...#"],
        ['X'] = ["#.#", "#.#", ".#.", "#.#", "#.#"],
        ['Y'] = ["#.#", "#.#", ".#.", ".#.", ".#."],
        ['Z'] = ["###", "..#", ".#.", "#..", "###"],
        ['-'] = ["...", "...", "###", "...", "..."],
        ['='] = ["...", "###", "...", "###", "..."],
        ['('] = [".#", "#.", "#.", "#.", ".#"],
        [')'] = ["#.", ".#", ".#", ".#", "#."],
    };

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/>, one blank column between glyphs.</summary>
    public static int Measure(string text, int scale) =>
        text.Length == 0 ? 0 : (text.Sum(c => Glyph(c)[0].Length) + text.Length - 1) * scale;

    public static void Draw(Image<Rgb24> image, string text, int x, int y, int scale, Rgb24 colour)
    {
        foreach (char c in text)
        {
            var glyph = Glyph(c);
            for (int row = 0; row < Height; row++)
            {
                for (int column = 0; column < glyph[row].Length; column++)
                {
                    if (glyph[row][column] == '#')
                    {
                        Canvas.Fill(image, x + column * scale, y + row * scale, scale, scale, colour);
                    }
                }
            }

            x += (glyph[0].Length + 1) * scale;
        }
    }

    private static string[] Glyph(char c) =>
        Glyphs.TryGetValue(char.ToUpperInvariant(c), out var glyph) ? glyph : throw new ArgumentException($"The map font has no glyph for '{c}'.", nameof(c));
}
