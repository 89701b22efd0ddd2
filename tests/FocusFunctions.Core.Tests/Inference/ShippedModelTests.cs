using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;

namespace FocusFunctions.Core.Tests.Inference;

public class ShippedModelTests(ShippedModel shipped) : IClassFixture<ShippedModel>
{
    [Fact]
    public void Card_DeclaresTheContractAndMatchesTheOnnxFile()
    {
        var card = ModelCard.Load(ModelCard.PathFor(RepositoryPaths.ShippedModel));

        Assert.Equal(0.5, card.MicronsPerPixel);
        Assert.Equal(320, card.PatchSize);
        Assert.Equal("image", card.InputName);
        Assert.Equal("defocus_um", card.OutputName);
        Assert.Equal(card.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(RepositoryPaths.ShippedModel))));
        Assert.True(new FileInfo(RepositoryPaths.ShippedModel).Length <= 5 * 1024 * 1024);
    }

    [Fact]
    public void Predict_ParityFixture_MatchesPyTorchWithinOneThousandthOfAMicron()
    {
        string folder = Path.Combine(RepositoryPaths.Models, "fixtures", "model-parity");
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        var inputs = expected.RootElement.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var torch = expected.RootElement.GetProperty("defocusUm").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        int length = 3 * 320 * 320;
        var tensor = new float[inputs.Length * length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var patch = TileDecoder.Decode(File.ReadAllBytes(Path.Combine(folder, inputs[i])), new DecodeLimits(1 << 24, 1 << 24, TiffPageSelection.First)).Image;
            PatchTensor.Write(patch, new PatchRegion(0, 0, 0, 0, 320, 320), 320, tensor.AsSpan(i * length, length));
        }

        var onnx = new float[inputs.Length];
        var onnxScale = shipped.Model.ScaleBuffer(inputs.Length);
        shipped.Model.Predict(tensor, inputs.Length, onnx, onnxScale);

        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.True(Math.Abs(onnx[i] - torch[i]) <= 1e-3, $"patch {i}: ONNX Runtime {onnx[i]} µm, PyTorch {torch[i]} µm");
        }

        // A model with the scale output: the fixture holds PyTorch's calibrated scales too, and they must agree.
        Assert.Equal(shipped.Model.PredictsScale, expected.RootElement.TryGetProperty("defocusScaleUm", out var scales));
        if (shipped.Model.PredictsScale)
        {
            var torchScale = scales.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int i = 0; i < inputs.Length; i++)
            {
                Assert.True(Math.Abs(onnxScale[i] - torchScale[i]) <= 1e-3, $"patch {i}: scale {onnxScale[i]} µm, PyTorch {torchScale[i]} µm");
            }
        }
    }

    [Theory]
    [InlineData(2)]    // two full runs and a partial one
    [InlineData(16)]   // one partial run
    public void Predict_InRunsOfMaxBatchSize_WritesEachPatchOnceAndAgreesWithOneByOne(int maxBatchSize)
    {
        var image = TestImages.LoadShared("cmu1-small-region-he-skin.png");
        var regions = PatchLayout.Cover(image.Width, image.Height, 320).Skip(10).Take(5).ToArray();
        var writes = new int[regions.Length];
        void Write(int i, Span<float> destination)
        {
            Interlocked.Increment(ref writes[i]);
            PatchTensor.Write(image, regions[i], 320, destination);
        }

        using var batchedModel = new OnnxFocusModel(new OnnxModelOptions { ModelPath = RepositoryPaths.ShippedModel, MaxBatchSize = maxBatchSize }, NullLogger.Instance);
        var batched = new float[regions.Length];
        batchedModel.Predict(regions.Length, Write, batched);

        Assert.All(writes, count => Assert.Equal(1, count));
        for (int i = 0; i < regions.Length; i++)
        {
            var single = new float[1];
            shipped.Model.Predict(1, (_, destination) => PatchTensor.Write(image, regions[i], 320, destination), single);
            Assert.Equal(single[0], batched[i], 3);
        }
    }

    [Fact]
    public void Predict_WriterThrows_TheFaultReachesTheCaller()
    {
        var results = new float[3];
        var error = Assert.Throws<InvalidDataException>(() =>
            shipped.Model.Predict(3, (i, _) => throw new InvalidDataException($"patch {i}"), results));
        Assert.Equal("patch 0", error.Message);
    }

    [Fact]
    public void Score_RealKi67Pair_ScoresBothAndReadsTheSoftScanSofter()
    {
        // A real Ki-67 IHC section scanned sharp (VSI) and visibly soft (NDPI): pale counterstained cells between the
        // nuclei must count as tissue, or neither scan is scored at all.
        var sharp = ScoreShared("openslide-os2-vsi-ki67-ihc.png", 0.346);
        var soft = ScoreShared("openslide-os2-ndpi-ki67-ihc-soft.png", 0.227);

        Assert.Equal(FocusVerdict.InFocus, sharp.Verdict);
        Assert.True(sharp.PatchCount >= 8, $"sharp: {sharp.PatchCount} patches scored");
        Assert.True(soft.PatchCount >= 8, $"soft: {soft.PatchCount} patches scored");
        Assert.True(sharp.DefocusMicrons < 0.3, $"sharp scan read {sharp.DefocusMicrons:0.00} µm");
        Assert.True(soft.DefocusMicrons > sharp.DefocusMicrons + 0.3, $"soft {soft.DefocusMicrons:0.00} µm, sharp {sharp.DefocusMicrons:0.00} µm");
    }

    private TileScore ScoreShared(string file, double micronsPerPixel)
    {
        using var stream = File.OpenRead(Path.Combine(RepositoryPaths.Histology, file));
        return shipped.Scorer.Score(stream, micronsPerPixel);
    }

    [Fact]
    public void Load_CardThatContradictsTheModel_IsRefusedWithTheReason()
    {
        var card = ModelCard.Load(ModelCard.PathFor(RepositoryPaths.ShippedModel)) with { InputName = "pixels" };

        var error = Assert.Throws<InvalidDataException>(() => new OnnxFocusModel(shipped.Options, NullLogger.Instance, card));
        Assert.Contains("'pixels'", error.Message);
        Assert.Contains("image", error.Message);
    }

    [Fact]
    public void Load_CudaWithoutAGpu_FallsBackToCpu()
    {
        var options = new OnnxModelOptions { ModelPath = RepositoryPaths.ShippedModel, ExecutionProvider = InferenceProvider.Cuda };

        using var model = new OnnxFocusModel(options, NullLogger.Instance);

        Assert.Equal("CPU", model.Provider);
    }
}

public class ModelPathTests
{
    [Fact]
    public void Resolve_RelativePathMissingFromTheWorkingDirectory_IsTakenFromTheAppFolder()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models", "nowhere.onnx"), ModelFiles.Resolve(Path.Combine("models", "nowhere.onnx")));
    }

    [Fact]
    public void Resolve_AbsolutePath_IsKept()
    {
        Assert.Equal(RepositoryPaths.ShippedModel, ModelFiles.Resolve(RepositoryPaths.ShippedModel));
    }
}
