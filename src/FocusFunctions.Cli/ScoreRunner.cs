using System.Text.RegularExpressions;

namespace FocusFunctions.Cli;

/// <summary>Runs <c>focus score</c>: every input gets exactly one result; a bad file never stops the others.</summary>
public static class ScoreRunner
{
    internal static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"];

    public const int ExitAllScored = 0;
    public const int ExitUsage = 1;
    public const int ExitSomeFailed = 2;

    public static int Run(ScoreSettings settings, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        Regex pattern;
        LocalScorer scorer;
        try
        {
            pattern = new Regex(settings.TilePattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            scorer = LocalScorer.Create(settings.Scoring, announce: settings.Format == OutputFormat.Table, errors);
        }
        catch (Exception ex) when (LocalScorer.IsSetupError(ex))
        {
            errors.WriteLine($"focus: {ex.Message}");
            return ExitUsage;
        }

        using (scorer)
        {
            var inputs = ExpandInputs(settings.Paths);
            var writer = ResultWriter.For(settings.Format, output);
            using var progress = ProgressBar.ForTerminal(settings.Format, inputs.Count, errors);
            var results = new List<(string Path, TileScore Score)>(inputs.Count);
            writer.Begin();
            foreach (var input in inputs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var score = scorer.Score(input.Path, input.Problem);
                results.Add((input.Path, score));
                writer.Write(input.Path, score);
                progress.Advance();
            }

            progress.Dispose();
            writer.End();
            if (settings.MapPath is not null)
            {
                try
                {
                    FocusMaps.Write(settings.MapPath, results, pattern, errors);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    // The scores are printed already; a map that cannot be written does not change the exit code.
                    errors.WriteLine($"focus: no map written: {ex.Message}");
                }
            }

            if (settings.ReportPath is not null && results.Count > 0
                && !LocalReport.Write(settings.ReportPath, LocalReport.Create(results, pattern, settings.Paths), errors))
            {
                return ExitUsage;
            }

            return results.Any(r => r.Score.Verdict == FocusVerdict.Failed) ? ExitSomeFailed : ExitAllScored;
        }
    }

    internal sealed record InputFile(string Path, string? Problem);

    internal static List<InputFile> ExpandInputs(IEnumerable<string> paths)
    {
        var inputs = new List<InputFile>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = ImagesIn(path);
                if (files.Count == 0)
                {
                    inputs.Add(new InputFile(path, "The folder holds no .png, .jpg, .tif or .bmp files."));
                }

                inputs.AddRange(files.Select(f => new InputFile(f, null)));
            }
            else if (File.Exists(path))
            {
                inputs.Add(new InputFile(path, null));
            }
            else
            {
                inputs.Add(new InputFile(path, "No such file or folder."));
            }
        }

        return inputs;
    }

    /// <summary>The images under <paramref name="folder"/>, recursively, in ordinal order.</summary>
    internal static List<string> ImagesIn(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)
        .ToList();
}
