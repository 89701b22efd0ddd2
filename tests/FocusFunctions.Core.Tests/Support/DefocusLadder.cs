using System.Diagnostics;
using System.Globalization;

namespace FocusFunctions.Core.Tests.Support;

/// <summary>
/// Physically defocused copies of shared images at known |z|, written once per test run by the training pipeline's
/// own simulator (training/simulate.py), so the engine is checked against the same optics the model learned.
/// </summary>
public sealed class DefocusLadder : IDisposable
{
    public static readonly double[] Levels = [0, 0.5, 1, 1.5, 2.5, 3, 4, 6, 8];

    // Held-out (validation-split) sources at 0.5 µm/px: an H&E tile and an IHC tile.
    public static readonly string[] Sources =
    [
        "tcga-mopadi-tcga-ad-6964-01z-00-dx1-tile-16896-20480.png",
        "skimage-ihc-colon.png",
    ];

    public DefocusLadder()
    {
        Folder = Directory.CreateTempSubdirectory("focus-ladder-").FullName;
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "training/simulate.py", "--threads", "1", "--microns-per-pixel", "0.5", "--output-dir", Folder, "--input" }
            .Concat(Sources.Select(s => Path.Combine(RepositoryPaths.Histology, s)))
            .Append("--z")
            .Concat(Levels.Select(z => z.ToString(CultureInfo.InvariantCulture))))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"training/simulate.py failed ({process.ExitCode}): {errors}");
        }
    }

    public string Folder { get; }

    public string PathOf(string source, double z) =>
        Path.Combine(Folder, $"{Path.GetFileNameWithoutExtension(source)}_z{z.ToString("0.00", CultureInfo.InvariantCulture)}.png");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
