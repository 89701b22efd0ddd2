using FocusFunctions.Core.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FocusFunctions.Worker;

/// <summary>
/// Where the time of a CUDA run goes: the model fed from page-locked (pinned) host memory through IoBinding, and
/// fed from a tensor already on the GPU (no copy at all: the ceiling). The worker's own path hands ONNX Runtime
/// ordinary managed memory, which it copies to the GPU through a pageable staging copy on every run.
/// </summary>
internal sealed class GpuCheckBinding : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ModelCard _card;

    public GpuCheckBinding(OnnxModelOptions options, ModelCard card)
    {
        _card = card;
        using var sessionOptions = new Microsoft.ML.OnnxRuntime.SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        OnnxFocusModel.AppendCudaProvider(sessionOptions, options);
        _session = new InferenceSession(ModelFiles.ResolveExisting(options.ModelPath), sessionOptions);
    }

    /// <summary>Patches written once into pinned host memory; every run copies them to the GPU from there.</summary>
    public double Pinned(float[] patches, int batch, double seconds)
    {
        using var pinned = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.CpuOutput);
        using var allocator = new OrtAllocator(_session, pinned);
        using var input = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, Shape(batch));
        patches.AsSpan(0, batch * 3 * _card.PatchSize * _card.PatchSize).CopyTo(input.GetTensorMutableDataAsSpan<float>());
        return Time(input, batch, seconds);
    }

    /// <summary>The input already on the GPU (its contents left as allocated: only the arithmetic is timed).</summary>
    public double OnDevice(int batch, double seconds)
    {
        using var device = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default);
        using var allocator = new OrtAllocator(_session, device);
        using var input = OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, Shape(batch));
        return Time(input, batch, seconds);
    }

    public void Dispose() => _session.Dispose();

    private long[] Shape(int batch) => [batch, 3, _card.PatchSize, _card.PatchSize];

    private double Time(OrtValue input, int batch, double seconds)
    {
        using var binding = _session.CreateIoBinding();
        using var runOptions = new RunOptions();
        binding.BindInput(_card.InputName, input);
        binding.BindOutputToDevice(_card.OutputName, OrtMemoryInfo.DefaultInstance);
        if (_card.ScaleOutputName is { } scaleOutput)
        {
            binding.BindOutputToDevice(scaleOutput, OrtMemoryInfo.DefaultInstance); // as the worker's PinnedCudaBatches does
        }
        void Run()
        {
            using var outputs = _session.RunWithBoundResults(runOptions, binding);
            _ = outputs[0].GetTensorDataAsSpan<float>()[0]; // on the CPU: the run has finished
        }

        for (int i = 0; i < 3; i++)
        {
            Run();
        }

        int runs = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds) || runs < 3)
        {
            Run();
            runs++;
        }

        return runs * batch / clock.Elapsed.TotalSeconds;
    }
}
