using System.Globalization;
using FocusFunctions.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FocusFunctions.Cli.Tests;

/// <summary>
/// Small labelled sets for <c>focus evaluate</c>, made in a temporary folder from in-focus tiles in ../shared
/// (150 px Kather-2016 H&amp;E tiles at 0.495 µm/px, one model patch each) and Gaussian-blurred copies of them.
/// A Gaussian is not the optics the model learned, but heavy blur reads as far out of focus, which is all the
/// command's plumbing needs; the maths is checked against hand-computed values in the Core tests.
/// </summary>
internal static class LabelledTiles
{
    public static readonly string[] Sources =
    [
        "kather16-tumor-1a11-crc-prim-he-07-022.png",
        "kather16-tumor-1ab-crc-prim-he-01-015.png",
        "kather16-tumor-1baf-crc-prim-he-03-009.png",
        "kather16-complex-1a13-crc-prim-he-03-026.png",
        "kather16-complex-1a7d-crc-prim-he-09-016.png",
        "kather16-complex-1a8f-crc-prim-he-10-005.png",
        "kather16-lympho-1a3d-crc-prim-he-02-copy.png",
        "kather16-lympho-1ba-crc-prim-he-04-031.png",
        "kather16-lympho-1bb8-crc-prim-he-02.png",
        "kather16-mucosa-1a62-crc-prim-he-05.png",
        "kather16-mucosa-1aff-crc-prim-he-09-001.png",
        "kather16-debris-1a18-crc-prim-he-08-021.png",
    ];

    /// <summary>Blur of the out-of-focus copies, in pixels (2.5 µm at 0.5 µm/px).</summary>
    public const float OutOfFocusSigma = 5;

    /// <summary>in-focus/ holds the sources, out-of-focus/ their blurred copies.</summary>
    public static void WriteFolderLayout(string folder, int count = 12)
    {
        foreach (string source in Sources.Take(count))
        {
            Write(Path.Combine(folder, "in-focus", source), source, 0);
            Write(Path.Combine(folder, "out-of-focus", "blurred-" + source), source, OutOfFocusSigma);
        }
    }

    /// <summary>Writes <paramref name="source"/> blurred by <paramref name="sigma"/> pixels (none at 0) to <paramref name="path"/>.</summary>
    public static void Write(string path, string source, float sigma)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = Image.Load<Rgb24>(Path.Combine(RepositoryPaths.Histology, source));
        if (sigma > 0)
        {
            image.Mutate(x => x.GaussianBlur(sigma));
        }

        image.SaveAsPng(path);
    }

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
