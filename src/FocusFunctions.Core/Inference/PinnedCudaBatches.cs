using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FocusFunctions.Core.Inference;

/// <summary>
/// How a CUDA session is fed (measured on an H200, docs/performance.md): patches are written straight into
/// page-locked (pinned) input tensors bound with IoBinding, so the host-to-GPU copy runs at full speed (5–7 k
/// patches/s from ordinary managed memory, 22–24 k from pinned); every run has one of a few fixed batch sizes (the
/// last, partial run is padded), because each new input shape costs cuDNN a fresh set-up, which held mixed
/// batches to a few hundred patches/s; and the next run's input is written while the GPU computes the current one.
/// </summary>
internal sealed class PinnedCudaBatches : IDisposable
{
    // Smallest padded run: a single tile's dozen patches should not pay for a run of MaxBatchSize.
    private const int SmallestBatch = 16;

    private readonly InferenceSession _session;
    private readonly ModelCard _card;
    private readonly int _patchLength;
    private readonly int[] _batchSizes;
    private readonly ConcurrentDictionary<int, ConcurrentBag<Slot>> _free = new();
    private readonly ConcurrentBag<Slot> _all = [];
    private readonly OrtMemoryInfo _pinnedMemory;
    private readonly OrtAllocator _pinnedAllocator;
    private readonly RunOptions _runOptions = new();

    public PinnedCudaBatches(InferenceSession session, ModelCard card, int maxBatchSize, int deviceId)
    {
        _session = session;
        _card = card;
        _patchLength = 3 * card.PatchSize * card.PatchSize;
        _batchSizes = BatchSizes(maxBatchSize);
        _pinnedMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, deviceId, OrtMemType.CpuOutput);
        _pinnedAllocator = new OrtAllocator(session, _pinnedMemory);
    }

    /// <summary>The fixed run sizes: MaxBatchSize and its halvings down to <see cref="SmallestBatch"/>, largest first.</summary>
    public IReadOnlyList<int> Sizes => _batchSizes;

    internal static int[] BatchSizes(int maxBatchSize)
    {
        var sizes = new List<int> { maxBatchSize };
        for (int size = maxBatchSize / 2; size >= SmallestBatch; size /= 2)
        {
            sizes.Add(size);
        }

        return [.. sizes];
    }

    /// <summary>The run size for <paramref name="remaining"/> patches: the largest if they fill it, else the smallest that holds them.</summary>
    internal static int SizeFor(int[] sizes, int remaining)
    {
        int chosen = sizes[0];
        foreach (int size in sizes)
        {
            if (size >= remaining)
            {
                chosen = size;
            }
        }

        return chosen;
    }

    /// <summary>Runs every batch size once, so that cuDNN's per-shape set-up happens at start-up, not on the first tiles.</summary>
    public void WarmUp()
    {
        foreach (int size in _batchSizes)
        {
            var slot = Rent(size);
            try
            {
                Run(slot, 0, Span<float>.Empty, Span<float>.Empty);
            }
            finally
            {
                Return(slot);
            }
        }
    }

    /// <summary>As <see cref="IFocusModel.Predict"/>; the scale span is empty or holds <paramref name="count"/> values.</summary>
    public void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
    {
        int start = 0;
        Slot? current = count > 0 ? Fill(writePatch, start, Math.Min(_batchSizes[0], count)) : null;
        while (current is not null)
        {
            int n = current.Count, next = start + n;
            // The next run's input is written on other cores while the GPU computes this one.
            var filling = next < count ? Task.Run(() => Fill(writePatch, next, Math.Min(_batchSizes[0], count - next))) : null;
            try
            {
                Run(current, n, defocusMicrons.Slice(start, n), defocusScaleMicrons.IsEmpty ? Span<float>.Empty : defocusScaleMicrons.Slice(start, n));
            }
            catch (Exception) when (filling is not null)
            {
                // The run failed: the input being written ahead goes back to the pool once it is done.
                _ = filling.ContinueWith(t => Return(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                throw;
            }
            finally
            {
                Return(current);
            }

            current = filling?.GetAwaiter().GetResult();
            start = next;
        }
    }

    public void Dispose()
    {
        foreach (var slot in _all)
        {
            slot.Dispose();
        }

        _runOptions.Dispose();
        _pinnedAllocator.Dispose();
        _pinnedMemory.Dispose();
    }

    private Slot Fill(PatchWriter writePatch, int start, int count)
    {
        var slot = Rent(SizeFor(_batchSizes, count));
        try
        {
            PatchBatch.Fill(writePatch, start, count, _patchLength, slot.Input.GetTensorMutableDataAsSpan<float>);
            slot.Count = count;
            return slot;
        }
        catch
        {
            Return(slot);
            throw;
        }
    }

    private void Run(Slot slot, int count, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
    {
        // Outputs come back in the order they were bound: defocus, then the scale where the card names one.
        using var outputs = _session.RunWithBoundResults(_runOptions, slot.Binding);
        OnnxFocusModel.CopyDefocus(outputs[0].GetTensorDataAsSpan<float>(), defocusMicrons[..count]);
        if (!defocusScaleMicrons.IsEmpty)
        {
            OnnxFocusModel.CopyScale(outputs[1].GetTensorDataAsSpan<float>(), defocusScaleMicrons[..count]);
        }
    }

    private Slot Rent(int size)
    {
        if (_free.GetOrAdd(size, _ => []).TryTake(out var slot))
        {
            return slot;
        }

        slot = new Slot(_session, _card, _pinnedAllocator, size);
        _all.Add(slot);
        return slot;
    }

    private void Return(Slot slot) => _free[slot.Size].Add(slot);

    /// <summary>One pinned input tensor of a fixed batch size, bound once; the output is copied back to ordinary memory.</summary>
    private sealed class Slot : IDisposable
    {
        public Slot(InferenceSession session, ModelCard card, OrtAllocator pinned, int size)
        {
            Size = size;
            Input = OrtValue.CreateAllocatedTensorValue(pinned, TensorElementType.Float, [size, 3, card.PatchSize, card.PatchSize]);
            // Padding rows are computed and discarded; zeros keep them finite.
            Input.GetTensorMutableDataAsSpan<float>().Clear();
            Binding = session.CreateIoBinding();
            Binding.BindInput(card.InputName, Input);
            Binding.BindOutputToDevice(card.OutputName, OrtMemoryInfo.DefaultInstance);
            if (card.ScaleOutputName is { } scaleOutput)
            {
                // The scale is computed in the same run and copied back beside the defocus.
                Binding.BindOutputToDevice(scaleOutput, OrtMemoryInfo.DefaultInstance);
            }
        }

        public int Size { get; }

        public int Count { get; set; }

        public OrtValue Input { get; }

        public OrtIoBinding Binding { get; }

        public void Dispose()
        {
            Binding.Dispose();
            Input.Dispose();
        }
    }
}
