using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace FocusFunctions.Core.Inference;

/// <summary>
/// One ONNX Runtime session per process, created once and shared: InferenceSession.Run is thread-safe, and a session
/// owns the model's weights and memory arenas, so one per call would waste both.
/// </summary>
public sealed partial class OnnxFocusModel : IFocusModel, IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly PinnedCudaBatches? _cudaBatches;

    public OnnxFocusModel(IOptions<OnnxModelOptions> options, ILogger<OnnxFocusModel> logger)
        : this(options.Value, logger)
    {
    }

    public OnnxFocusModel(OnnxModelOptions options, ILogger logger, ModelCard? card = null)
    {
        string modelPath = ModelFiles.ResolveExisting(options.ModelPath);
        Card = card ?? ModelCard.Load(options.ModelCardPath is { } cardPath ? ModelFiles.Resolve(cardPath) : ModelCard.PathFor(modelPath));
        MaxBatchSize = options.MaxBatchSize;
        _inputNames = [Card.InputName];
        _outputNames = Card.ScaleOutputName is { } scaleOutput ? [Card.OutputName, scaleOutput] : [Card.OutputName];

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        Provider = ChooseProvider(sessionOptions, options, logger);
        _session = new InferenceSession(modelPath, sessionOptions);
        CheckContract(modelPath);
        if (Provider == "CUDA")
        {
            _cudaBatches = new PinnedCudaBatches(_session, Card, MaxBatchSize, options.CudaDeviceId);
            _cudaBatches.WarmUp();
        }

        LogModelLoaded(logger, Card.Name, Card.Version, Provider, options.IntraOpThreads, Card.MicronsPerPixel, Card.PatchSize);
        if (Card.ScaleOutputName is { } scaleName)
        {
            LogPredictsScale(logger, scaleName, Card.IntervalLevel);
        }
    }

    public ModelCard Card { get; }

    public string Provider { get; }

    public int MaxBatchSize { get; }

    /// <summary>True when the card names a scale output (checked against the graph at load).</summary>
    public bool PredictsScale => Card.ScaleOutputName is not null;

    public void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
    {
        if (defocusMicrons.Length < count)
        {
            throw new ArgumentException($"Room for {count} results expected, got {defocusMicrons.Length}.", nameof(defocusMicrons));
        }

        // The scale comes from the same runs; a caller that wants none (or a model without it) passes an empty span.
        bool withScale = PredictsScale && !defocusScaleMicrons.IsEmpty;
        if (withScale && defocusScaleMicrons.Length < count)
        {
            throw new ArgumentException($"Room for {count} scales expected, got {defocusScaleMicrons.Length}.", nameof(defocusScaleMicrons));
        }

        if (_cudaBatches is not null)
        {
            _cudaBatches.Predict(count, writePatch, defocusMicrons, withScale ? defocusScaleMicrons : Span<float>.Empty);
            return;
        }

        // On the CPU ONNX Runtime reads managed memory in place: one pooled buffer of a run's size is reused per call.
        int patchLength = this.PatchLength(), batch = Math.Min(MaxBatchSize, count);
        var buffer = ArrayPool<float>.Shared.Rent(batch * patchLength);
        try
        {
            for (int start = 0; start < count; start += MaxBatchSize)
            {
                int n = Math.Min(MaxBatchSize, count - start);
                PatchBatch.Fill(writePatch, start, n, patchLength, () => buffer);
                using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * patchLength),
                    [n, 3, Card.PatchSize, Card.PatchSize]);
                using var runOptions = new RunOptions();
                using var outputs = _session.Run(runOptions, _inputNames, [input], _outputNames);
                CopyDefocus(outputs[0].GetTensorDataAsSpan<float>(), defocusMicrons.Slice(start, n));
                if (withScale)
                {
                    CopyScale(outputs[1].GetTensorDataAsSpan<float>(), defocusScaleMicrons.Slice(start, n));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>A run's output into the caller's results.</summary>
    internal static void CopyDefocus(ReadOnlySpan<float> output, Span<float> defocusMicrons)
    {
        for (int i = 0; i < defocusMicrons.Length; i++)
        {
            // The contract promises ≥ 0; clamp so that a user model's tiny negative never becomes "-0.0 µm".
            defocusMicrons[i] = Math.Max(0f, output[i]);
        }
    }

    /// <summary>
    /// Scales passed on lie in [<see cref="MinScaleMicrons"/>, <see cref="MaxScaleMicrons"/>] µm: the contract promises
    /// b &gt; 0, so a zero must not claim certainty, and NaN or infinity (a broken export) reads as "no idea" while
    /// staying a number that a table or JSON can hold.
    /// </summary>
    internal const float MinScaleMicrons = 1e-3f, MaxScaleMicrons = 1e3f;

    /// <summary>A run's scale output into the caller's results.</summary>
    internal static void CopyScale(ReadOnlySpan<float> output, Span<float> defocusScaleMicrons)
    {
        for (int i = 0; i < defocusScaleMicrons.Length; i++)
        {
            float b = output[i];
            defocusScaleMicrons[i] = float.IsNaN(b) ? MaxScaleMicrons : Math.Clamp(b, MinScaleMicrons, MaxScaleMicrons);
        }
    }

    public void Dispose()
    {
        _cudaBatches?.Dispose();
        _session.Dispose();
    }

    private void CheckContract(string modelPath)
    {
        if (!_session.InputMetadata.TryGetValue(Card.InputName, out var input) || !_session.OutputMetadata.ContainsKey(Card.OutputName))
        {
            throw new InvalidDataException(
                $"Model '{modelPath}' does not follow the contract: expected input '{Card.InputName}' and output '{Card.OutputName}', " +
                $"found inputs [{string.Join(", ", _session.InputMetadata.Keys)}] and outputs [{string.Join(", ", _session.OutputMetadata.Keys)}].");
        }

        if (Card.ScaleOutputName is { } scaleOutput && !_session.OutputMetadata.ContainsKey(scaleOutput))
        {
            throw new InvalidDataException(
                $"Model '{modelPath}' has no output '{scaleOutput}', which its card names as scaleOutputName; found outputs [{string.Join(", ", _session.OutputMetadata.Keys)}]. " +
                "Remove scaleOutputName from the card to run it without Indeterminate verdicts.");
        }

        var dims = input.Dimensions;
        if (dims.Length != 4 || (dims[1] > 0 && dims[1] != 3) || (dims[2] > 0 && dims[2] != Card.PatchSize) || (dims[3] > 0 && dims[3] != Card.PatchSize))
        {
            throw new InvalidDataException(
                $"Model '{modelPath}' input '{Card.InputName}' has shape [{string.Join(", ", dims)}]; the card says [N, 3, {Card.PatchSize}, {Card.PatchSize}].");
        }
    }

    /// <summary>
    /// Adds ONNX Runtime's CUDA provider with this project's settings (device, cuDNN algorithm search); throws where
    /// CUDA is not usable. Public for <c>gpu-check</c>, which builds sessions of its own to measure IoBinding.
    /// </summary>
    public static void AppendCudaProvider(SessionOptions sessionOptions, OnnxModelOptions options)
    {
        using var cuda = new OrtCUDAProviderOptions();
        cuda.UpdateOptions(new Dictionary<string, string>
        {
            ["device_id"] = options.CudaDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cudnn_conv_algo_search"] = options.CudnnConvAlgoSearch switch
            {
                CudnnAlgorithmSearch.Exhaustive => "EXHAUSTIVE",
                CudnnAlgorithmSearch.Heuristic => "HEURISTIC",
                _ => "DEFAULT",
            },
        });
        sessionOptions.AppendExecutionProvider_CUDA(cuda);
    }

    private static string ChooseProvider(SessionOptions sessionOptions, OnnxModelOptions options, ILogger logger)
    {
        if (options.ExecutionProvider != InferenceProvider.Cuda)
        {
            return "CPU";
        }

        try
        {
            AppendCudaProvider(sessionOptions, options);
            return "CUDA";
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            LogCudaUnavailable(logger, ex.Message);
            return "CPU";
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Loaded focus model {ModelName} {ModelVersion} on {ExecutionProvider} with {IntraOpThreads} intra-op threads ({MicronsPerPixel} µm/px, {PatchSize} px patches)")]
    private static partial void LogModelLoaded(ILogger logger, string modelName, string modelVersion, string executionProvider, int intraOpThreads, double micronsPerPixel, int patchSize);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The model predicts its uncertainty (output {ScaleOutputName}, patch intervals at level {IntervalLevel}): tiles it cannot judge at the threshold are Indeterminate")]
    private static partial void LogPredictsScale(ILogger logger, string scaleOutputName, double intervalLevel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CUDA execution provider unavailable, falling back to CPU: {Reason}")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);
}
