using System.Text.Json;
using FocusFunctions.TestSupport;

namespace FocusFunctions.Cli.Tests;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("focus-evaluate-").FullName;

    [Fact]
    public void FolderLayout_Json_ReportsTheMeasuresAndExitsZero()
    {
        LabelledTiles.WriteFolderLayout(_folder);

        var (exit, output, errors) = Run("evaluate", _folder, "--format", "json");

        Assert.Equal(0, exit);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal("folder", summary.GetProperty("layout").GetString());
        Assert.Equal("Binary", summary.GetProperty("labelKind").GetString());
        Assert.Equal(24, summary.GetProperty("n").GetInt32());
        Assert.Equal(24, summary.GetProperty("nScored").GetInt32());
        Assert.Equal(12, summary.GetProperty("outOfFocus").GetInt32());
        Assert.True(summary.GetProperty("rocAuc").GetDouble() > 0.9, output);
        foreach (string key in new[] { "prAuc", "balancedAccuracy", "confusion", "bestThresholdMicrons", "bestBalancedAccuracy", "rocAucCi95", "prAucCi95", "verdicts" })
        {
            Assert.True(summary.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null, key);
        }

        Assert.Equal(JsonValueKind.Null, summary.GetProperty("spearman").ValueKind);
        Assert.False(summary.TryGetProperty("tiles", out var tiles) && tiles.ValueKind != JsonValueKind.Null);
        Assert.Contains("24 tiles", errors);
    }

    [Fact]
    public void FailedAndEmptyTiles_AreCountedApartAndExitTwo()
    {
        LabelledTiles.WriteFolderLayout(_folder, count: 4);
        File.WriteAllText(Path.Combine(_folder, "in-focus", "broken.png"), "not an image");
        File.Copy(Path.Combine(RepositoryPaths.Histology, "background-histolab-no-tissue.png"), Path.Combine(_folder, "out-of-focus", "glass.png"));

        var (exit, output, _) = Run("evaluate", _folder, "--format", "json", "--per-tile");

        Assert.Equal(2, exit);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal((10, 8, 2), (summary.GetProperty("n").GetInt32(), summary.GetProperty("nScored").GetInt32(), summary.GetProperty("excluded").GetInt32()));
        Assert.Equal(1, summary.GetProperty("verdicts").GetProperty("Failed").GetInt32());
        Assert.Equal(1, summary.GetProperty("verdicts").GetProperty("NoTissue").GetInt32());
        var confusion = summary.GetProperty("confusion");
        int counted = confusion.EnumerateObject().Sum(p => p.Value.GetInt32());
        Assert.Equal(8, counted);
        var rows = summary.GetProperty("tiles").EnumerateArray().ToList();
        Assert.Equal(10, rows.Count);
        Assert.Contains(rows, r => r.GetProperty("verdict").GetString() == "Failed" && r.GetProperty("error").GetString()!.Length > 0);
    }

    [Fact]
    public void CsvWithBinaryLabels_ReadsPathsRelativeToTheList_AndAMissingFileFails()
    {
        LabelledTiles.WriteFolderLayout(_folder, count: 6);
        var lines = new List<string> { "path,label" };
        lines.AddRange(LabelledTiles.Sources.Take(6).Select((s, i) => $"in-focus/{s},{(i % 2 == 0 ? "in" : "0")}"));
        lines.AddRange(LabelledTiles.Sources.Take(6).Select((s, i) => $"\"out-of-focus/blurred-{s}\",{(i % 2 == 0 ? "out" : "1")}"));
        lines.Add("gone.png,out");
        string list = Path.Combine(_folder, "labels.csv");
        File.WriteAllLines(list, lines);

        var (exit, output, _) = Run("evaluate", list, "--format", "json");

        Assert.Equal(2, exit);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal("csv", summary.GetProperty("layout").GetString());
        Assert.Equal((13, 12), (summary.GetProperty("n").GetInt32(), summary.GetProperty("nScored").GetInt32()));
        Assert.True(summary.GetProperty("rocAuc").GetDouble() > 0.9, output);
    }

    [Fact]
    public void CsvWithDefocusInMicrons_ReportsCorrelationsAndMae()
    {
        string list = WriteLadder(("path,defocus_um", z => $"z{z}", z => LabelledTiles.Invariant(z)));

        var (exit, output, _) = Run("evaluate", list, "--format", "json");

        Assert.Equal(0, exit);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Microns", summary.GetProperty("labelKind").GetString());
        Assert.True(summary.GetProperty("spearman").GetDouble() > 0.7, output);
        foreach (string key in new[] { "pearson", "spearmanCi95", "pearsonCi95", "mae", "rocAuc" })
        {
            Assert.NotEqual(JsonValueKind.Null, summary.GetProperty(key).ValueKind);
        }
    }

    [Fact]
    public void TcgaFocusList_AsPublished_IsRecognised()
    {
        var lines = new List<string>();
        foreach (var (source, i) in LabelledTiles.Sources.Take(8).Select((s, i) => (s, i)))
        {
            string inFocus = $"In Focus/Colon/TCGA-XX-{i:D4}/patch_i_{i}_j_1.png";
            string outOfFocus = $"Out of Focus (Marker)/Colon/TCGA-XX-{i:D4}/patch_i_{i}_j_2.png";
            LabelledTiles.Write(Path.Combine(_folder, "TCGA@Focus", inFocus), source, 0);
            LabelledTiles.Write(Path.Combine(_folder, "TCGA@Focus", outOfFocus), source, LabelledTiles.OutOfFocusSigma);
            lines.Add($"{inFocus},Colon,0,0");
            lines.Add($"{outOfFocus},Colon,1,1");
        }

        string list = Path.Combine(_folder, "TCGA@Focus.txt");
        File.WriteAllLines(list, lines);

        var (exit, output, _) = Run("evaluate", list, "--root", Path.Combine(_folder, "TCGA@Focus"), "--format", "json");

        Assert.Equal(0, exit);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.Equal("tcga@focus", summary.GetProperty("layout").GetString());
        Assert.Equal(16, summary.GetProperty("nScored").GetInt32());
        Assert.True(summary.GetProperty("rocAuc").GetDouble() > 0.9, output);
    }

    [Fact]
    public void FocusPathList_AsPublished_IsRecognised_InMicronsWithAStepAndInSlicesWithout()
    {
        // FocusLiteNN's list: name.tif, slide, strip, slice, position, a score, signed z (0 = best focus); the images are .png.
        string list = WriteLadder((null, z => $"Slide01_Strip00_Slice{z + 1:D2}_Position01", z => $"1,0,{z + 1},1,50.5,{(z % 2 == 0 ? z : -z)}"), extension: ".tif");

        var (exit, output, _) = Run("evaluate", list, "--format", "json", "--z-step-microns", "1");
        var (_, stepless, _) = Run("evaluate", list, "--format", "json");

        Assert.Equal(0, exit);
        var microns = JsonDocument.Parse(output).RootElement;
        Assert.Equal("focuspath", microns.GetProperty("layout").GetString());
        Assert.Equal("Microns", microns.GetProperty("labelKind").GetString());
        Assert.NotEqual(JsonValueKind.Null, microns.GetProperty("mae").ValueKind);
        var slices = JsonDocument.Parse(stepless).RootElement;
        Assert.Equal("ZSteps", slices.GetProperty("labelKind").GetString());
        Assert.Equal(microns.GetProperty("spearman").GetDouble(), slices.GetProperty("spearman").GetDouble());
        Assert.Equal(JsonValueKind.Null, slices.GetProperty("rocAuc").ValueKind);
        Assert.Equal(JsonValueKind.Null, slices.GetProperty("mae").ValueKind);
    }

    [Fact]
    public void PlotAndSettings_AreWritten_KeepingTheOtherSettings()
    {
        LabelledTiles.WriteFolderLayout(_folder, count: 6);
        string plot = Path.Combine(_folder, "roc.png");
        string settings = Path.Combine(_folder, "local.settings.json");
        File.WriteAllText(settings, """{ "IsEncrypted": false, "Values": { "Scoring__RejectAboveMicrons": "2.0", "FocusStorage": "UseDevelopmentStorage=true" } }""");

        var (exit, output, errors) = Run("evaluate", _folder, "--plot", plot, "--write-settings", settings);

        Assert.Equal(0, exit);
        Assert.Contains("ROC-AUC", output);
        using var image = SixLabors.ImageSharp.Image.Load(plot);
        Assert.True(image.Width >= 400 && image.Height >= 400);
        var values = JsonDocument.Parse(File.ReadAllText(settings)).RootElement.GetProperty("Values");
        Assert.Equal("UseDevelopmentStorage=true", values.GetProperty("FocusStorage").GetString());
        string fitted = values.GetProperty("Scoring__RejectAboveMicrons").GetString()!;
        Assert.NotEqual("2.0", fitted);
        Assert.Contains($"Scoring__RejectAboveMicrons={fitted}", output);
        Assert.Contains("warning: the threshold is fitted on 12 tiles", errors);
    }

    [Theory]
    [InlineData("no-subfolders", "needs two subfolders")]
    [InlineData("bad-label", "line 3: label 'maybe' is not in, out, 0 or 1")]
    [InlineData("csv-format", "'csv'")]
    [InlineData("unknown-list", "not a recognised label list")]
    [InlineData("zero-threshold", "--threshold must be above 0")]
    public void UnreadableInput_IsAUsageError(string kind, string message)
    {
        string input = _folder;
        string[] extra = [];
        switch (kind)
        {
            case "bad-label":
                input = Path.Combine(_folder, "labels.csv");
                File.WriteAllLines(input, ["path,label", "a.png,in", "b.png,maybe"]);
                break;
            case "csv-format":
                extra = ["--format", "csv"];
                break;
            case "zero-threshold":
                extra = ["--threshold", "0"];
                break;
            case "unknown-list":
                input = Path.Combine(_folder, "list.txt");
                File.WriteAllLines(input, ["a.png,x,y"]);
                break;
        }

        var (exit, output, errors) = Run(["evaluate", input, .. extra]);

        Assert.Equal(1, exit);
        Assert.Contains(message, errors);
        // Nothing is scored; a parse error prints the command's help instead of a summary.
        Assert.DoesNotContain("ROC-AUC", output);
    }

    [Fact]
    public void CsvLine_HonoursQuotes()
    {
        Assert.Equal(["a,b.png", "say \"out\"", "1"], CsvLine.Split("\"a,b.png\",\"say \"\"out\"\"\", 1"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Six sources at blur 0, 2, 4 and 6 px (labels 0–3); one list line per image, header optional.</summary>
    private string WriteLadder((string? Header, Func<int, string> Name, Func<int, string> Fields) layout, string extension = ".png")
    {
        var lines = layout.Header is null ? new List<string>() : [layout.Header];
        foreach (var (source, i) in LabelledTiles.Sources.Take(6).Select((s, i) => (s, i)))
        {
            for (int z = 0; z <= 3; z++)
            {
                string name = $"{layout.Name(z)}-{i}";
                LabelledTiles.Write(Path.Combine(_folder, name + ".png"), source, 2f * z);
                lines.Add($"{name}{extension},{layout.Fields(z)}");
            }
        }

        string list = Path.Combine(_folder, "labels.csv");
        File.WriteAllLines(list, lines);
        return list;
    }

    private static (int Exit, string Output, string Errors) Run(params string[] args) => CliHarness.RunLocal(EvaluateCommand.Create(), args);
}
