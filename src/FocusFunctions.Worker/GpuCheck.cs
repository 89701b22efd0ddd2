using System.Globalization;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;
using Microsoft.Extensions.Logging.Abstractions;

namespace FocusFunctions.Worker;

/// <summary>
/// <c>gpu-check [model.onnx]</c>: scores batches of 320×320 patches with the CUDA and the CPU execution providers of
/// this image's ONNX Runtime and prints patches/s for each and their ratio. Run it where the worker runs (the
/// container, scripts/gpu-check.sh) to see that CUDA really is used and what it buys.
/// </summary>
public static class GpuCheck
{
    private static readonly int[] BatchSizes = [16, 64, 256];

    public static int Run(string[] args, TextWriter output)
    {
        string modelPath = args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "models", "focus-model.onnx");
        using var cuda = Load(modelPath, InferenceProvider.Cuda, BatchSizes[^1]);
        if (cuda.Provider != "CUDA")
        {
            output.WriteLine("CUDA execution provider not available (no GPU, or CUDA 13 / cuDNN 9 libraries missing); nothing to compare.");
            return 3;
        }

        using var cpu = Load(modelPath, InferenceProvider.Cpu, BatchSizes[^1]);
        int patchLength = 3 * cuda.Card.PatchSize * cuda.Card.PatchSize;
        var random = new Random(7);
        var patches = new float[BatchSizes[^1] * patchLength];
        for (int i = 0; i < patches.Length; i++)
        {
            patches[i] = (float)random.NextDouble();
        }

        output.WriteLine($"model {cuda.Card.Name} {cuda.Card.Version}, {cuda.Card.PatchSize}×{cuda.Card.PatchSize} patches, CPU threads {Environment.ProcessorCount}");
        output.WriteLine("batch   CUDA patches/s   CPU patches/s   CUDA/CPU");
        double best = 0;
        foreach (int batch in BatchSizes)
        {
            double onGpu = PatchesPerSecond(cuda, patches, batch);
            double onCpu = PatchesPerSecond(cpu, patches, batch);
            best = Math.Max(best, onGpu / onCpu);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{batch,5}   {onGpu,14:F0}   {onCpu,13:F0}   {onGpu / onCpu,8:F1}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best CUDA/CPU ratio: {best:F1}×"));
        return 0;
    }

    private static OnnxFocusModel Load(string modelPath, InferenceProvider provider, int maxBatch) =>
        new(new OnnxModelOptions { ModelPath = modelPath, ExecutionProvider = provider, IntraOpThreads = 0, MaxBatchSize = maxBatch }, NullLogger.Instance);

    /// <summary>Three warm-up runs, then as many runs as fit in about two seconds.</summary>
    private static double PatchesPerSecond(OnnxFocusModel model, float[] patches, int batch)
    {
        var results = new float[batch];
        var input = patches.AsMemory(0, batch * 3 * model.Card.PatchSize * model.Card.PatchSize);
        for (int i = 0; i < 3; i++)
        {
            model.Predict(input, batch, results);
        }

        int runs = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2) || runs < 3)
        {
            model.Predict(input, batch, results);
            runs++;
        }

        return runs * batch / clock.Elapsed.TotalSeconds;
    }
}
