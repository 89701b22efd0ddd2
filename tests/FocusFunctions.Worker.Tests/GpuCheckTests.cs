using System.Text.Json;

namespace FocusFunctions.Worker.Tests;

public class GpuCheckTests
{
    [Fact]
    public void Run_WithoutAGpu_SaysSoAndExitsThree()
    {
        var output = new StringWriter();

        int exit = GpuCheck.Run(["gpu-check", TestStorage.RealModelPath], output);

        Assert.Equal(3, exit);
        Assert.Contains("CUDA execution provider not available", output.ToString());
    }

    [Theory]
    [InlineData("--batches", "0")]
    [InlineData("--batches", "64,x")]
    [InlineData("--tiles", "/no/such/folder")]
    [InlineData("--frobnicate", "1")]
    [InlineData("--seconds", "soon")]
    [InlineData("--seconds", "0")]
    [InlineData("--seconds", "NaN")]
    public void Run_WithABadOption_PrintsUsageAndExitsOne(string option, string value)
    {
        var output = new StringWriter();

        int exit = GpuCheck.Run(["gpu-check", "--cpu-only", option, value], output);

        Assert.Equal(1, exit);
        Assert.Contains("usage: gpu-check", output.ToString());
    }

    [Fact]
    public void Run_OverAFolderWithoutTiles_SaysSoAndExitsOne()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "notes.txt"), "not a tile");
        var output = new StringWriter();

        int exit = GpuCheck.Run(["gpu-check", TestStorage.RealModelPath, "--cpu-only", "--tiles", folder.Path, "--batches", "1", "--seconds", "0.01"], output);

        Assert.Equal(1, exit);
        Assert.Contains("no image tiles in", output.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_CpuOnlyOverRealTiles_MeasuresEveryStageAndWritesTheReport(bool overlap)
    {
        using var folder = new TempFolder();
        string tiles = Directory.CreateDirectory(Path.Combine(folder.Path, "tiles")).FullName;
        File.WriteAllBytes(Path.Combine(tiles, "sharp.png"), TestTiles.Sharp);
        File.WriteAllBytes(Path.Combine(tiles, "defocused.png"), TestTiles.Defocused);
        File.WriteAllBytes(Path.Combine(tiles, "background.png"), TestTiles.Background);
        File.WriteAllBytes(Path.Combine(tiles, "truncated.png"), TestTiles.Truncated);
        File.WriteAllText(Path.Combine(tiles, "notes.txt"), "not a tile");
        string json = Path.Combine(folder.Path, "report.json");
        var output = new StringWriter();

        int exit = GpuCheck.Run(["gpu-check", TestStorage.RealModelPath, "--cpu-only", "--tiles", tiles, "--batches", "2,8",
            "--decode-threads", "2", "--tile-batch", "3", "--seconds", "0.05", "--json", json, .. (overlap ? new[] { "--overlap" } : [])], output);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("CPU only", output.ToString());
        Assert.Contains("4 tiles from", output.ToString());
        Assert.Contains(overlap ? "prepare the next batch of tiles while" : "then the model scores all its patches, as the worker does", output.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("gpu").ValueKind);
        Assert.Equal(overlap, root.GetProperty("decodeOverlapsScoring").GetBoolean());
        var inference = root.GetProperty("inference").EnumerateArray().ToList();
        Assert.Equal([2, 8], inference.Select(r => r.GetProperty("batch").GetInt32()));
        Assert.All(inference, r => Assert.True(r.GetProperty("cpuPatchesPerSecond").GetDouble() > 0));
        Assert.All(inference, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("cudaPatchesPerSecond").ValueKind));
        Assert.True(root.GetProperty("decode").GetProperty("tilesPerSecond").GetDouble() > 0);
        var endToEnd = root.GetProperty("endToEnd").EnumerateArray().ToList();
        Assert.Equal(["CPU", "CPU"], endToEnd.Select(r => r.GetProperty("provider").GetString()));
        Assert.All(endToEnd, r =>
        {
            Assert.True(r.GetProperty("patchesPerSecond").GetDouble() > 0);
            Assert.InRange(r.GetProperty("inferenceShare").GetDouble(), 0.0, 1.0);
            Assert.True(r.GetProperty("tiles").GetInt32() >= 4);
        });
        Assert.Equal(JsonValueKind.Null, root.GetProperty("agreement").ValueKind);
    }

    [Fact]
    public void Run_CpuOnlyWithTheScaleFixture_TheWorkersPathRunsAModelWithTwoOutputs()
    {
        using var folder = new TempFolder();
        string tiles = Directory.CreateDirectory(Path.Combine(folder.Path, "tiles")).FullName;
        File.WriteAllBytes(Path.Combine(tiles, "sharp.png"), TestTiles.Sharp);
        File.WriteAllBytes(Path.Combine(tiles, "flat.jpg"), TestTiles.FlatStain("eosin"));
        var output = new StringWriter();

        int exit = GpuCheck.Run(["gpu-check", RepositoryPaths.ScaleFixtureModel, "--cpu-only", "--tiles", tiles, "--batches", "2",
            "--decode-threads", "1", "--tile-batch", "2", "--seconds", "0.05"], output);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("model focus-model 1.1.0-scale-fixture", output.ToString());
        Assert.Contains("2 tiles from", output.ToString());
    }
}
