using System.Globalization;
using System.Text.Json;
using FocusFunctions.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Cli.Tests;

public sealed class ScoreCommandTests : IDisposable
{
    private const string Sharp = "tcga-histolab-tissue-level0-4302-10273-4814-10785.png";
    private const string Background = "background-histolab-no-tissue.png";
    private readonly string _folder = Directory.CreateTempSubdirectory("focus-cli-").FullName;

    [Fact]
    public void Score_JsonFormat_PrintsOneObjectPerInputAndKeepsGoingAfterABadFile()
    {
        string broken = Path.Combine(_folder, "broken.png");
        File.WriteAllText(broken, "not an image");

        var (exit, output, _) = Run("score", Shared(Sharp), broken, Shared(Background), "--format", "json");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var rows = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("InFocus", rows[0].GetProperty("verdict").GetString());
        Assert.True(rows[0].GetProperty("defocusMicrons").GetDouble() < 2.0);
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("error").ValueKind);
        Assert.Equal("Failed", rows[1].GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("defocusMicrons").ValueKind);
        Assert.Contains("Not a supported image", rows[1].GetProperty("error").GetString());
        Assert.Equal("NoTissue", rows[2].GetProperty("verdict").GetString());
        foreach (var field in new[] { "path", "tissueFraction", "patchCount", "outOfFocusFraction" })
        {
            Assert.True(rows[0].TryGetProperty(field, out _), field);
        }

        Assert.Equal(2, exit);
    }

    [Fact]
    public void Score_HostileInputsAmongGoodOnes_EveryInputGetsExactlyOneRow()
    {
        string strip = Path.Combine(_folder, "strip-1x3000000.png");
        using (var image = new Image<Rgb24>(1, 3_000_000, new Rgb24(200, 120, 170)))
        {
            image.SaveAsPng(strip);
        }

        string wide = Path.Combine(_folder, "wide-200000x1.png");
        File.WriteAllBytes(wide, PngHeader.Declaring(200_000, 1));
        string textBomb = Path.Combine(_folder, "text-bomb.png");
        File.WriteAllBytes(textBomb, PngHeader.WithChunkBeforeEnd(File.ReadAllBytes(Shared(Sharp)), "zTXt", PngHeader.CompressedTextChunk("zTXt", 200 << 20)));

        var (exit, output, _) = Run("score", strip, Shared(Sharp), wide, textBomb, Shared(Background), "--format", "json");

        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([strip, Shared(Sharp), wide, textBomb, Shared(Background)], rows.Select(r => r.GetProperty("path").GetString()));
        Assert.Equal(["Failed", "InFocus", "Failed", "InFocus", "NoTissue"], rows.Select(r => r.GetProperty("verdict").GetString()));
        Assert.Contains("1x3,000,000 px, an aspect ratio over", rows[0].GetProperty("error").GetString());
        Assert.Contains("200,000x1 px, an aspect ratio over", rows[2].GetProperty("error").GetString());
        Assert.Equal(ScoreRunner.ExitSomeFailed, exit);
    }

    [Fact]
    public void Score_AllScored_ExitsZero()
    {
        var (exit, _, _) = Run("score", Shared(Sharp), Shared(Background), "--format", "csv");

        Assert.Equal(0, exit);
    }

    [Fact]
    public void Score_InputCoarserThanTheModel_WarnsOnStderrAndKeepsStdoutJson()
    {
        var (exit, output, errors) = Run("score", Shared(Sharp), "--format", "json", "--microns-per-pixel", "1.0");

        Assert.Equal(ScoreRunner.ExitAllScored, exit);
        Assert.Contains("1 µm/px is coarser than the model's 0.5 µm/px", errors);
        Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => JsonDocument.Parse(line).Dispose());
        Assert.DoesNotContain("coarser", Run("score", Shared(Sharp), "--format", "json", "--microns-per-pixel", "0.5").Errors);
    }

    [Fact]
    public void Score_Csv_HasAHeaderAndQuotesFieldsWithCommas()
    {
        string odd = Path.Combine(_folder, "a,b.png");
        File.Copy(Shared(Sharp), odd);

        var (_, output, _) = Run("score", odd, "--format", "csv");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("path,verdict,defocusMicrons", lines[0]);
        Assert.StartsWith($"\"{odd}\",InFocus,", lines[1]);
    }

    [Fact]
    public void Score_CsvAndJson_CarryTheSameColumnsInTheSameOrder()
    {
        var csv = Run("score", Shared(Sharp), "--format", "csv").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var json = JsonDocument.Parse(Run("score", Shared(Sharp), "--format", "json").Output.Split('\n')[0]);

        var columns = json.RootElement.EnumerateObject().ToList();
        Assert.Equal(columns.Select(c => c.Name), csv[0].Split(','));
        Assert.Equal(columns.Count, csv[1].Split(',').Length);
        Assert.Equal(columns.Single(c => c.Name == "patchCount").Value.GetInt32().ToString(CultureInfo.InvariantCulture), csv[1].Split(',')[columns.FindIndex(c => c.Name == "patchCount")]);
    }

    [Fact]
    public void Score_Folder_ScoresEveryImageInIt()
    {
        File.Copy(Shared(Sharp), Path.Combine(_folder, "x000_y000.png"));
        File.Copy(Shared(Background), Path.Combine(_folder, "x001_y000.png"));
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "ignored");
        string map = Path.Combine(_folder, "mosaic.png");

        var (exit, output, errors) = Run("score", _folder, "--format", "json", "--map", map);

        Assert.Equal(0, exit);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(File.Exists(map), errors);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(map)[..4]);
    }

    [Fact]
    public void Score_SingleTileMap_WritesThePatchGrid()
    {
        string map = Path.Combine(_folder, "tile.png");

        var (exit, _, _) = Run("score", Shared("cmu1-small-region-he-skin.png"), "--map", map, "--format", "json");

        Assert.Equal(0, exit);
        using var image = SixLabors.ImageSharp.Image.Load(map);
        Assert.True(image.Width > 100 && image.Height > 100);
    }

    [Fact]
    public void Score_MapIntoAMissingFolder_SaysSoAndKeepsTheExitCode()
    {
        var (exit, output, errors) = Run("score", Shared(Sharp), "--format", "json", "--map", Path.Combine(_folder, "no", "such", "map.png"));

        Assert.Equal(0, exit);
        Assert.Contains("InFocus", output);
        Assert.Contains("no map written", errors);
    }

    [Fact]
    public void Score_MissingPath_IsAFailedRowNotACrash()
    {
        var (exit, output, _) = Run("score", Path.Combine(_folder, "nope.png"), "--format", "json");

        Assert.Equal(2, exit);
        Assert.Contains("No such file or folder", output);
    }

    [Fact]
    public void Score_ModelWithoutCardAndNoCardValues_IsAUsageError()
    {
        string model = Path.Combine(_folder, "bare.onnx");
        File.Copy(RepositoryPaths.ShippedModel, model);

        var (exit, _, errors) = Run("score", Shared(Sharp), "--model", model);

        Assert.Equal(1, exit);
        Assert.Contains("--model-microns-per-pixel", errors);
    }

    [Fact]
    public void Score_ModelWithCardValuesAsOptions_Scores()
    {
        string model = Path.Combine(_folder, "bare.onnx");
        File.Copy(RepositoryPaths.ShippedModel, model);

        var (exit, output, _) = Run("score", Shared(Sharp), "--model", model, "--model-microns-per-pixel", "0.5", "--patch-size", "320", "--format", "json");

        Assert.Equal(0, exit);
        Assert.Contains("\"verdict\":\"InFocus\"", output);
    }

    [Fact]
    public void Score_UnknownOption_IsAUsageError()
    {
        var (exit, _, _) = Run("score", Shared(Sharp), "--no-such-option");

        Assert.Equal(1, exit);
    }

    [Fact]
    public void Score_Threshold_IsAppliedAndReported()
    {
        // A tile rejected at the default 2 µm passes at 20 µm: its whole interval lies below that line.
        string defocused = Path.Combine(_folder, "defocused.png");
        File.WriteAllBytes(defocused, TestTiles.Defocused);

        var atDefault = JsonDocument.Parse(Run("score", defocused, "--format", "json").Output).RootElement;
        var (_, output, _) = Run("score", defocused, "--threshold", "20", "--format", "json");

        var row = JsonDocument.Parse(output).RootElement;
        Assert.Equal("OutOfFocus", atDefault.GetProperty("verdict").GetString());
        Assert.Equal(20, row.GetProperty("thresholdMicrons").GetDouble());
        Assert.Equal("InFocus", row.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Score_ScaleModel_JsonCarriesTheIntervalAndWhyATileIsIndeterminate()
    {
        string flat = FlatStainFile("eosin");

        var (exit, output, _) = Run("score", flat, Shared(Sharp), Defocused(), "--model", RepositoryPaths.ScaleFixtureModel, "--format", "json");

        Assert.Equal(ScoreRunner.ExitAllScored, exit);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["Indeterminate", "InFocus", "OutOfFocus"], rows.Select(r => r.GetProperty("verdict").GetString()));
        Assert.Contains("could be judged at the 2 µm threshold", rows[0].GetProperty("verdictReason").GetString());
        Assert.True(rows[0].GetProperty("defocusLowMicrons").GetDouble() <= 2 && rows[0].GetProperty("defocusHighMicrons").GetDouble() > 2);
        Assert.True(rows[1].GetProperty("defocusHighMicrons").GetDouble() <= 2);
        Assert.True(rows[2].GetProperty("defocusLowMicrons").GetDouble() > 2);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("verdictReason").ValueKind);
        Assert.Equal("focus-model 1.1.0-scale-fixture", rows[0].GetProperty("model").GetString());
    }

    [Fact]
    public void Score_ScaleModel_CsvCarriesTheIntervalAndTheReasonQuoted()
    {
        string flat = FlatStainFile("haematoxylin");

        var (_, output, _) = Run("score", flat, Shared(Sharp), "--model", RepositoryPaths.ScaleFixtureModel, "--format", "csv");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        Assert.StartsWith("path,verdict,defocusMicrons,defocusLowMicrons,defocusHighMicrons,", lines[0]);
        Assert.Equal("verdictReason", header[^1]);
        var indeterminate = CsvLine.Split(lines[1]);
        Assert.Equal(header.Count, indeterminate.Count);
        Assert.Equal("Indeterminate", indeterminate[header.IndexOf("verdict")]);
        Assert.Contains("tissue patches could be judged", indeterminate[header.IndexOf("verdictReason")]);
        double low = double.Parse(indeterminate[header.IndexOf("defocusLowMicrons")], CultureInfo.InvariantCulture);
        double high = double.Parse(indeterminate[header.IndexOf("defocusHighMicrons")], CultureInfo.InvariantCulture);
        Assert.True(low <= 2 && high > 2, $"{low}-{high}");
        var sharp = CsvLine.Split(lines[2]);
        Assert.Equal(("InFocus", ""), (sharp[header.IndexOf("verdict")], sharp[header.IndexOf("verdictReason")]));
    }

    [Fact]
    public void Score_ScaleModel_TableShowsTheIntervalTheReasonAndCountsEveryVerdict()
    {
        string flat = FlatStainFile("grey");

        var (_, output, errors) = Run("score", flat, Shared(Sharp), Defocused(), "--model", RepositoryPaths.ScaleFixtureModel);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("INTERVAL µm", lines[0]);
        var flatLine = lines.Single(l => l.StartsWith(flat, StringComparison.Ordinal));
        Assert.Matches(@"Indeterminate\s+\d+\.\d\d\s+\d+\.\d\d-\d+\.\d\d\s", flatLine);
        Assert.Contains("tissue patches could be judged", flatLine);
        Assert.Matches(@"InFocus\s+\d+\.\d\d\s+\d+\.\d\d-[01]\.\d\d\s", lines.Single(l => l.Contains(Sharp, StringComparison.Ordinal)));
        Assert.Equal("3 tiles: InFocus 1, OutOfFocus 1, Indeterminate 1, NoTissue 0, Failed 0", lines[^1].Trim());
        Assert.Contains("80 % patch intervals, Indeterminate below 50 % decisive patches", errors);
    }

    [Fact]
    public void Score_ShippedModel_FlatStainIndeterminateAndSharpInFocus_EachWithItsInterval()
    {
        var (_, output, _) = Run("score", FlatStainFile("eosin"), Shared(Sharp), "--format", "json");

        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["Indeterminate", "InFocus"], rows.Select(r => r.GetProperty("verdict").GetString()));
        Assert.True(rows[0].GetProperty("defocusLowMicrons").GetDouble() < 2 && rows[0].GetProperty("defocusHighMicrons").GetDouble() > 2);
        Assert.Contains("could be judged", rows[0].GetProperty("verdictReason").GetString());
        Assert.True(rows[1].GetProperty("defocusHighMicrons").GetDouble() <= 2);
    }

    [Fact]
    public void Score_PointOnlyModel_NoIntervalAndNeverIndeterminate()
    {
        var (_, output, _) = Run("score", FlatStainFile("eosin"), Shared(Sharp), "--format", "json", "--model", RepositoryPaths.PointOnlyModel);

        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(rows, r => Assert.NotEqual("Indeterminate", r.GetProperty("verdict").GetString()));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("defocusLowMicrons").ValueKind));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("verdictReason").ValueKind));
    }

    [Theory]
    [InlineData("0.4")]
    [InlineData("1.5")]
    public void Score_MinDecisiveFractionOutsideItsRange_IsAUsageError(string value)
    {
        var (exit, _, errors) = Run("score", Shared(Sharp), "--model", RepositoryPaths.ScaleFixtureModel, "--min-decisive-fraction", value);

        Assert.Equal(ScoreRunner.ExitUsage, exit);
        Assert.Contains("--min-decisive-fraction", errors);
    }

    [Fact]
    public void Score_MinDecisiveFractionOne_SharpTileNeedsEveryPatch()
    {
        // Every patch of the sharp tile is judged in: still InFocus at f = 1.
        var (_, output, _) = Run("score", Shared(Sharp), "--model", RepositoryPaths.ScaleFixtureModel, "--min-decisive-fraction", "1", "--format", "json");

        Assert.Equal("InFocus", JsonDocument.Parse(output).RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Score_MapOfAnIndeterminateTile_UndecidedPatchesStriped()
    {
        string map = Path.Combine(_folder, "flat.png");

        var (_, _, errors) = Run("score", FlatStainFile("eosin"), "--model", RepositoryPaths.ScaleFixtureModel, "--map", map, "--format", "json");

        Assert.Contains("map written", errors);
        using var image = Image.Load<Rgb24>(map);
        var stripe = Core.Maps.DefocusPalette.Indeterminate;
        int striped = 0;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                striped += rows.GetRowSpan(y).ToArray().Count(p => p == stripe);
            }
        });
        Assert.True(striped > 1000, $"{striped} magenta pixels");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FlatStainFile(string stain)
    {
        string path = Path.Combine(_folder, $"flat-{stain}.jpg");
        File.WriteAllBytes(path, TestTiles.FlatStain(stain));
        return path;
    }

    private string Defocused()
    {
        string path = Path.Combine(_folder, "defocused.png");
        File.WriteAllBytes(path, TestTiles.Defocused);
        return path;
    }

    private static string Shared(string file) => Path.Combine(RepositoryPaths.Histology, file);

    private static (int Exit, string Output, string Errors) Run(params string[] args) => CliHarness.RunLocal(ScoreCommand.Create(), args);
}
