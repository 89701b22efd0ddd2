using System.Globalization;
using System.Text.RegularExpressions;
using FocusFunctions.Core.Evaluation;

namespace FocusFunctions.Cli;

/// <summary>One tile to evaluate: where it is, its label, and why it cannot be read if that is known already.</summary>
public sealed record LabelledTile(string Path, double Label, string? Problem = null);

/// <summary>Labelled tiles and what their labels mean; <see cref="Layout"/> names the layout they were read from.</summary>
public sealed record LabelSet(string Layout, LabelKind Kind, IReadOnlyList<LabelledTile> Tiles);

/// <summary>A label list or folder that cannot be read: a usage error, nothing is scored.</summary>
public sealed class LabelSetException(string message) : Exception(message);

/// <summary>
/// Reads the labelled layouts <c>focus evaluate</c> accepts: a folder with in-focus/ and out-of-focus/, a CSV with a
/// header (path and one of label, defocus_um or z), and the headerless lists published with TCGA@Focus
/// (path, organ, marker flag, 0/1) and FocusPath (name, slide, strip, slice, position, score, signed z level).
/// </summary>
public static partial class LabelSets
{
    private static readonly string[] PathColumns = ["path", "file", "filename", "file_name", "image", "image_path", "name"];
    private static readonly string[] MicronColumns = ["defocus_um", "defocus_microns", "defocus"];
    private static readonly string[] ZColumns = ["z", "z_level", "zlevel", "z_index", "z_offset"];

    public static LabelSet Read(string input, string? root, double? zStepMicrons)
    {
        if (Directory.Exists(input))
        {
            return ReadFolder(input);
        }

        if (!File.Exists(input))
        {
            throw new LabelSetException($"No such folder or label list: '{input}'.");
        }

        var rows = File.ReadLines(input)
            .Select((line, index) => (Number: index + 1, Fields: CsvLine.Split(line)))
            .Where(r => r.Fields.Count > 1 || r.Fields[0].Length > 0)
            .ToList();
        if (rows.Count == 0)
        {
            throw new LabelSetException($"'{input}' holds no rows.");
        }

        string baseFolder = root ?? Path.GetDirectoryName(Path.GetFullPath(input))!;
        var header = rows[0].Fields.Select(f => f.ToLowerInvariant()).ToList();
        if (header.Any(PathColumns.Contains))
        {
            return ReadWithHeader(input, header, rows.Skip(1).ToList(), baseFolder, zStepMicrons);
        }

        var first = rows[0].Fields;
        if (first.Count >= 4 && IsBinary(first[^1]) && IsBinary(first[^2]))
        {
            return Build(input, "tcga@focus", LabelKind.Binary, rows, baseFolder, f => f[0], f => ParseBinary(f[^1]));
        }

        if (first.Count == 7 && FocusPathName().IsMatch(first[0]))
        {
            return ZSet(input, "focuspath", rows, baseFolder, f => f[0], f => f[^1], zStepMicrons);
        }

        if (first.Count == 2)
        {
            return Build(input, "csv", LabelKind.Binary, rows, baseFolder, f => f[0], f => ParseBinary(f[1]));
        }

        throw new LabelSetException(
            $"'{input}': not a recognised label list. Give a header with path and one of label, defocus_um or z, or use the TCGA@Focus or FocusPath list as published (docs/evaluate.md).");
    }

    private static LabelSet ReadFolder(string folder)
    {
        string? Sub(string name) => Directory.EnumerateDirectories(folder)
            .FirstOrDefault(d => string.Equals(Path.GetFileName(d), name, StringComparison.OrdinalIgnoreCase));
        var (inFocus, outOfFocus) = (Sub("in-focus"), Sub("out-of-focus"));
        if (inFocus is null || outOfFocus is null)
        {
            throw new LabelSetException($"'{folder}' needs two subfolders, in-focus/ and out-of-focus/ (or give a label list).");
        }

        var tiles = ScoreRunner.ImagesIn(inFocus).Select(p => new LabelledTile(p, 0))
            .Concat(ScoreRunner.ImagesIn(outOfFocus).Select(p => new LabelledTile(p, 1)))
            .ToList();
        return tiles.Count == 0
            ? throw new LabelSetException($"'{folder}': in-focus/ and out-of-focus/ hold no images.")
            : new LabelSet("folder", LabelKind.Binary, tiles);
    }

    private static LabelSet ReadWithHeader(string input, List<string> header, List<(int Number, List<string> Fields)> rows, string baseFolder, double? zStepMicrons)
    {
        int Column(string[] names) => header.FindIndex(names.Contains);
        int path = Column(PathColumns), microns = Column(MicronColumns), z = Column(ZColumns), label = Column(["label"]);
        if (microns >= 0)
        {
            return Build(input, "csv", LabelKind.Microns, rows, baseFolder, f => f[path], f => Math.Abs(ParseNumber(f[microns], "defocus_um")));
        }

        if (z >= 0)
        {
            return ZSet(input, "focuspath", rows, baseFolder, f => f[path], f => f[z], zStepMicrons);
        }

        return label >= 0
            ? Build(input, "csv", LabelKind.Binary, rows, baseFolder, f => f[path], f => ParseBinary(f[label]))
            : throw new LabelSetException($"'{input}': the header has a path column but no label, defocus_um or z column.");
    }

    /// <summary>FocusPath: the signed z level counts slices from the best-focus slice (0); |z| × step is the defocus.</summary>
    private static LabelSet ZSet(string input, string layout, List<(int Number, List<string> Fields)> rows, string baseFolder, Func<List<string>, string> path, Func<List<string>, string> z, double? zStepMicrons)
    {
        if (zStepMicrons is <= 0)
        {
            throw new LabelSetException("--z-step-microns must be above 0.");
        }

        double step = zStepMicrons ?? 1;
        var kind = zStepMicrons is null ? LabelKind.ZSteps : LabelKind.Microns;
        return Build(input, layout, kind, rows, baseFolder, path, f => Math.Abs(ParseNumber(z(f), "z")) * step);
    }

    private static LabelSet Build(string input, string layout, LabelKind kind, List<(int Number, List<string> Fields)> rows, string baseFolder, Func<List<string>, string> path, Func<List<string>, double> label)
    {
        var tiles = new List<LabelledTile>(rows.Count);
        foreach (var (number, fields) in rows)
        {
            try
            {
                tiles.Add(Locate(baseFolder, path(fields), label(fields)));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
            {
                string why = ex is FormatException ? ex.Message : "a column is missing";
                throw new LabelSetException($"{input} line {number}: {why}.");
            }
        }

        return tiles.Count == 0 ? throw new LabelSetException($"'{input}' holds a header but no tiles.") : new LabelSet(layout, kind, tiles);
    }

    /// <summary>Paths are relative to the list (or --root); a name without its image extension, or with another one (FocusPath lists name .tif, its download holds .png), finds the image beside it.</summary>
    private static LabelledTile Locate(string baseFolder, string relative, double label)
    {
        string full = Path.GetFullPath(Path.Combine(baseFolder, relative.Replace('\\', '/')));
        if (File.Exists(full))
        {
            return new LabelledTile(full, label);
        }

        string stem = ScoreRunner.Extensions.Contains(Path.GetExtension(full), StringComparer.OrdinalIgnoreCase) ? Path.ChangeExtension(full, null) : full;
        string? found = ScoreRunner.Extensions.Select(e => stem + e).FirstOrDefault(File.Exists);
        return found is not null ? new LabelledTile(found, label) : new LabelledTile(full, label, "No such file.");
    }

    private static bool IsBinary(string value) => value is "0" or "1";

    private static double ParseBinary(string value) => value.ToLowerInvariant() switch
    {
        "0" or "in" or "in-focus" or "infocus" => 0,
        "1" or "out" or "out-of-focus" or "outoffocus" => 1,
        _ => throw new FormatException($"label '{value}' is not in, out, 0 or 1"),
    };

    private static double ParseNumber(string value, string column) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number)
            ? number
            : throw new FormatException($"{column} '{value}' is not a number");

    [GeneratedRegex(@"^Slide\d+_Strip\d+_Slice\d+_Position\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FocusPathName();
}
