using System.Diagnostics;
using System.Text.Json;

namespace FocusFunctions.Worker.Tests;

/// <summary>
/// scripts/gpu-bundle.sh and scripts/gpu-device.sh as the lent GPU machine runs them, here on the CPU: the bundle is
/// built, split into parts, each part stashed as if it came in its own call, then joined, checked, unpacked by
/// Python and run over real tiles cut by scripts/cut-tiles.py, from the bundle's own self-contained runtime.
/// </summary>
public class GpuBundleTests
{
    [Fact]
    public void Bundle_TravelsInPartsUnpacksAndRunsGpuCheckOnTheCpu()
    {
        using var folder = new TempFolder();
        string parts = Path.Combine(folder.Path, "parts"), store = Path.Combine(folder.Path, "store");

        var bundle = Bash($"scripts/gpu-bundle.sh --out {parts} --part-size 30M --xz-level 0");

        Assert.True(bundle.ExitCode == 0, bundle.Output);
        var partFiles = Directory.GetFiles(parts, "focus-worker.tar.xz.part-*").Order(StringComparer.Ordinal).ToList();
        Assert.True(partFiles.Count >= 2, bundle.Output);
        Assert.All(partFiles, p => Assert.InRange(new FileInfo(p).Length, 1, 30L * 1024 * 1024));

        // One part per "call": each stash moves what came with that call into the store.
        foreach (var (part, i) in partFiles.Append(Path.Combine(parts, "focus-worker.sha256")).Select((p, i) => (p, i)))
        {
            string call = Directory.CreateDirectory(Path.Combine(folder.Path, $"call-{i}")).FullName;
            File.Move(part, Path.Combine(call, Path.GetFileName(part)));
            var stash = Bash($"scripts/gpu-device.sh stash {call}", store);
            Assert.True(stash.ExitCode == 0, stash.Output);
        }

        string source = Directory.CreateDirectory(Path.Combine(folder.Path, "images")).FullName;
        File.Copy(Path.Combine(RepositoryPaths.Histology, "openslide-os1-detail-he.png"), Path.Combine(source, "os1.png"));
        string tiles = Path.Combine(folder.Path, "tiles");
        var cut = Bash($"scripts/gpu-device.sh tiles {source} {tiles} 512 512", store);
        Assert.True(cut.ExitCode == 0, cut.Output);
        Assert.Equal(4, Directory.GetFiles(tiles, "*.png").Length);

        string json = Path.Combine(folder.Path, "report.json");
        var run = Bash($"scripts/gpu-device.sh run --cpu-only --tiles {tiles} --batches 4 --decode-threads 2 --tile-batch 4 --seconds 0.05 --json {json}",
            store);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("CPU only", run.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.True(report.RootElement.GetProperty("endToEnd")[0].GetProperty("tilesPerSecond").GetDouble() > 0);
        string app = Path.Combine(store, "focus-worker");
        Assert.True(File.Exists(Path.Combine(app, "libonnxruntime_providers_cuda.so")));
        // Self-contained: the runtime travels in the bundle ("includedFrameworks"), no installed .NET is looked for.
        Assert.True(File.Exists(Path.Combine(app, "libcoreclr.so")));
        using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "FocusFunctions.Worker.runtimeconfig.json")));
        Assert.True(runtimeConfig.RootElement.GetProperty("runtimeOptions").TryGetProperty("includedFrameworks", out _));
    }

    private static (int ExitCode, string Output) Bash(string arguments, string? store = null)
    {
        var start = new ProcessStartInfo("bash", arguments)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (File.Exists("/usr/bin/python3"))
        {
            start.Environment["PYTHON"] = "/usr/bin/python3"; // Debian's, with Pillow (scripts/bootstrap.sh)
        }

        if (store is not null)
        {
            start.Environment["FOCUS_BUNDLE_STORE"] = store;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
