using System.Globalization;
using System.Text.Json;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace FocusFunctions.Worker;

/// <summary>
/// <c>gpu-check [model.onnx] [--tiles DIR] [--batches 64,256,1024] [--decode-threads N] [--tile-batch N] [--seconds S]
/// [--cudnn-search heuristic|exhaustive|default] [--cpu-only] [--json FILE]</c>: measures this image's ONNX Runtime with the CUDA and the CPU execution providers —
/// model throughput per batch size, GPU memory, and, over real tiles, the worker's own path end to end (parallel
/// decode and preparation, then shared model batches) and how far CUDA and CPU readings differ. Run it where the
/// worker runs (the container, scripts/gpu-check.sh, or the bundle of scripts/gpu-bundle.sh).
/// </summary>
public static class GpuCheck
{
    public static int Run(string[] args, TextWriter output)
    {
        GpuCheckSettings settings;
        try
        {
            settings = GpuCheckSettings.Parse(args.Skip(1).ToArray());
        }
        catch (ArgumentException ex)
        {
            output.WriteLine($"gpu-check: {ex.Message}");
            output.WriteLine(GpuCheckSettings.Usage);
            return 1;
        }

        // Before any measurement: a folder without tiles is a usage error, not minutes of device time spent first.
        IReadOnlyList<GpuCheckTile>? tiles = null;
        try
        {
            tiles = settings.TilesFolder is null ? null : GpuCheckTiles.Load(settings.TilesFolder);
        }
        catch (ArgumentException ex)
        {
            output.WriteLine($"gpu-check: {ex.Message}");
            return 1;
        }

        using var cpu = Load(settings, InferenceProvider.Cpu);
        using var cuda = settings.CpuOnly ? null : Load(settings, InferenceProvider.Cuda);
        if (cuda is not null && cuda.Provider != "CUDA")
        {
            output.WriteLine("CUDA execution provider not available (no GPU, or CUDA 13 / cuDNN 9 libraries missing); nothing to compare. " +
                "--cpu-only measures the CPU alone.");
            return 3;
        }

        var report = new GpuCheckReport
        {
            Model = $"{cpu.Card.Name} {cpu.Card.Version}",
            PatchSize = cpu.Card.PatchSize,
            CpuCores = Environment.ProcessorCount,
            Gpu = cuda is null ? null : GpuMemory.Describe(),
            CudnnConvAlgoSearch = settings.CudnnSearch.ToString(),
            DecodeOverlapsScoring = settings.Overlap,
        };
        output.WriteLine($"model {report.Model}, {report.PatchSize}×{report.PatchSize} patches, {report.CpuCores} CPU cores" +
            (report.Gpu is null ? ", CPU only" : $", GPU {report.Gpu}"));

        MeasureInference(settings, cpu, cuda, report, output);
        if (tiles is not null)
        {
            output.WriteLine($"{tiles.Count} tiles from {settings.TilesFolder} ({tiles.Sum(t => t.Bytes.Length) / 1048576.0:F1} MiB encoded), " +
                $"{settings.DecodeThreads} decode threads, {settings.TileBatch} tiles per batch");
            var endToEnd = new GpuCheckEndToEnd(settings, tiles, output);
            endToEnd.MeasureDecode(cpu, report);
            foreach (int batch in settings.Batches)
            {
                // A model sized as the worker's Scoring:MaxBatchSize would be: its runs, padding and pipelining as there.
                using var model = Load(settings, cuda is null ? InferenceProvider.Cpu : InferenceProvider.Cuda, batch);
                endToEnd.Measure(model, batch, report);
            }

            if (cuda is not null)
            {
                endToEnd.Measure(cpu, settings.Batches.Max(), report);
                endToEnd.CompareReadings(cuda, cpu, report);
            }
        }

        if (settings.JsonPath is not null)
        {
            File.WriteAllText(settings.JsonPath, JsonSerializer.Serialize(report, GpuCheckJson.Default.GpuCheckReport));
        }

        return 0;
    }

    private static void MeasureInference(GpuCheckSettings settings, OnnxFocusModel cpu, OnnxFocusModel? cuda, GpuCheckReport report, TextWriter output)
    {
        int patchLength = 3 * cpu.Card.PatchSize * cpu.Card.PatchSize;
        var random = new Random(7);
        var patches = new float[settings.Batches.Max() * patchLength];
        for (int i = 0; i < patches.Length; i++)
        {
            patches[i] = (float)random.NextDouble();
        }

        // The worker's path first (its writer copies each patch into the model's pinned input, as the worker's does from
        // a tile's pixels), GPU memory read after each batch while only its session holds GPU memory; the IoBinding
        // experiment's own session comes after, so that its arena is not counted in the worker's figure.
        var rows = new List<(int Batch, double? OnGpu, double OnCpu, long? Memory)>();
        foreach (int batch in settings.Batches)
        {
            double? onGpu = cuda is null ? null : PatchesPerSecond(cuda, patches, batch, settings.Seconds);
            long? memory = cuda is null ? null : GpuMemory.UsedMiB();
            rows.Add((batch, onGpu, PatchesPerSecond(cpu, patches, batch, settings.Seconds), memory));
        }

        using var binding = cuda is null ? null : new GpuCheckBinding(ModelOptions(settings, InferenceProvider.Cuda), cpu.Card);
        output.WriteLine($"model only (random patches; cuDNN algorithm search {settings.CudnnSearch}):");
        output.WriteLine("batch   CUDA patches/s   CUDA pinned   CUDA on-GPU input   CPU patches/s   CUDA/CPU   GPU memory used (MiB)");
        foreach (var (batch, onGpu, onCpu, memory) in rows)
        {
            double? pinned = Try(() => binding?.Pinned(patches, batch, settings.Seconds), output);
            double? onDevice = Try(() => binding?.OnDevice(batch, settings.Seconds), output);
            report.Inference.Add(new InferenceRow(batch, onGpu, pinned, onDevice, onCpu, memory));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{batch,5}   {Text(onGpu),14}   {Text(pinned),11}   {Text(onDevice),17}   {onCpu,13:F0}   {Text(onGpu / onCpu, "F1"),8}   {Text(memory),21}"));
        }

        if (cuda is not null)
        {
            var best = report.Inference.MaxBy(r => r.CudaPatchesPerSecond ?? 0)!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best CUDA: {best.CudaPatchesPerSecond:F0} patches/s at batch {best.Batch}; best CUDA/CPU ratio: {report.Inference.Max(r => (r.CudaPatchesPerSecond ?? 0) / r.CpuPatchesPerSecond):F1}×"));
        }
    }

    internal static string Text(double? value, string format = "F0") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The IoBinding measurements are an experiment: a failure is reported, not fatal.</summary>
    private static double? Try(Func<double?> measure, TextWriter output)
    {
        try
        {
            return measure();
        }
        catch (OnnxRuntimeException ex)
        {
            output.WriteLine($"  (IoBinding measurement failed: {ex.Message})");
            return null;
        }
    }

    private static OnnxModelOptions ModelOptions(GpuCheckSettings settings, InferenceProvider provider, int? maxBatchSize = null) => new()
    {
        ModelPath = settings.ModelPath,
        ExecutionProvider = provider,
        IntraOpThreads = 0,
        MaxBatchSize = maxBatchSize ?? settings.Batches.Max(),
        CudnnConvAlgoSearch = settings.CudnnSearch,
    };

    private static OnnxFocusModel Load(GpuCheckSettings settings, InferenceProvider provider, int? maxBatchSize = null) =>
        new(ModelOptions(settings, provider, maxBatchSize), NullLogger.Instance);

    /// <summary>Three warm-up runs, then as many runs as fit in the given seconds (at least three).</summary>
    private static double PatchesPerSecond(OnnxFocusModel model, float[] patches, int batch, double seconds)
    {
        var results = new float[batch];
        var scales = model.ScaleBuffer(batch); // the worker's path reads the scale too where the model has one
        var input = patches.AsMemory(0, batch * 3 * model.Card.PatchSize * model.Card.PatchSize);
        for (int i = 0; i < 3; i++)
        {
            model.Predict(input, batch, results, scales);
        }

        int runs = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds) || runs < 3)
        {
            model.Predict(input, batch, results, scales);
            runs++;
        }

        return runs * batch / clock.Elapsed.TotalSeconds;
    }
}
