using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.Core.Tests.Scoring;

public class TileScorerTests
{
    [Fact]
    public void Score_BrokenInput_IsFailedWithAReadableErrorAndNoInference()
    {
        var model = new FakeFocusModel(_ => 1f);

        var score = Scorer(model).Score(new MemoryStream("not an image"u8.ToArray()));

        Assert.Equal(FocusVerdict.Failed, score.Verdict);
        Assert.Contains("Not a supported image", score.Error);
        Assert.Null(score.DefocusMicrons);
        Assert.Empty(model.BatchSizes);
    }

    [Fact]
    public void Score_Glass_IsNoTissueWithoutInference()
    {
        var model = new FakeFocusModel(_ => 1f);

        var score = Scorer(model).Score(Png(700, 400, new Rgb24(242, 242, 240)));

        Assert.Equal(FocusVerdict.NoTissue, score.Verdict);
        Assert.Equal(0, score.PatchCount);
        Assert.Empty(model.BatchSizes);
        Assert.Equal(6, score.Grid!.Patches.Count);
    }

    [Fact]
    public void Score_TissueAboveThreshold_IsOutOfFocusWithAFullGrid()
    {
        var model = new FakeFocusModel(_ => 3f);

        var score = Scorer(model).Score(Png(700, 400, new Rgb24(200, 120, 170)));

        Assert.Equal(FocusVerdict.OutOfFocus, score.Verdict);
        Assert.Equal(3.0, score.DefocusMicrons);
        Assert.Equal(6, score.PatchCount);
        Assert.Equal((3, 2), (score.Grid!.Columns, score.Grid.Rows));
        Assert.All(score.Grid.Patches, p => Assert.Equal(3.0, p.DefocusMicrons));
        Assert.Equal((700, 400), (score.Width, score.Height));
        Assert.Equal("fake", score.ModelName);
    }

    [Fact]
    public void Score_ThresholdOverride_ChangesTheVerdict()
    {
        var score = Scorer(new FakeFocusModel(_ => 3f)).Score(Png(320, 320, new Rgb24(200, 120, 170)), thresholdMicrons: 5);

        Assert.Equal(FocusVerdict.InFocus, score.Verdict);
        Assert.Equal(5, score.ThresholdMicrons);
    }

    [Fact]
    public void Score_FinerPixels_AreResampledToTheModelsPixelSize()
    {
        var score = Scorer(new FakeFocusModel(_ => 0.2f)).Score(Png(640, 640, new Rgb24(200, 120, 170)), micronsPerPixel: 0.25);

        Assert.Equal(1, score.PatchCount);
        Assert.Equal(0.25, score.MicronsPerPixel);
        Assert.Equal((640, 640), (score.Width, score.Height));
    }

    [Fact]
    public void Score_CoarsePixelsThatWouldEnlargePastTheLimit_FailWithTheReason()
    {
        var model = new FakeFocusModel(_ => 1f);
        var scorer = new TileScorer(model, Options.Create(new ScoringOptions()), Options.Create(new DecodeOptions { MaxInputPixels = 1_000_000 }), NullLogger<TileScorer>.Instance);

        var score = scorer.Score(Png(800, 800, new Rgb24(200, 120, 170)), micronsPerPixel: 1.0);

        Assert.Equal(FocusVerdict.Failed, score.Verdict);
        Assert.Contains("1600x1600", score.Error);
        Assert.Empty(model.BatchSizes);
    }

    [Theory]
    [InlineData(0.00001)]   // once shrank a 640 px tile to one pixel and scored it
    [InlineData(1000.0)]
    public void Score_PixelSizeOutsideSlideScans_FailsWithTheRangeAndNeverReachesTheModel(double micronsPerPixel)
    {
        var model = new FakeFocusModel(_ => 0.4f);

        var score = Scorer(model).Score(Png(640, 640, new Rgb24(200, 120, 170)), micronsPerPixel: micronsPerPixel);

        Assert.Equal(FocusVerdict.Failed, score.Verdict);
        Assert.Contains("outside 0.01–100 µm/px", score.Error);
        Assert.Empty(model.BatchSizes);
    }

    [Fact]
    public void Score_TileSmallerThanAPatch_IsStillScored()
    {
        var score = Scorer(new FakeFocusModel(_ => 0.4f)).Score(Png(150, 150, new Rgb24(200, 120, 170)));

        Assert.Equal(FocusVerdict.InFocus, score.Verdict);
        Assert.Equal(1, score.PatchCount);
    }

    [Fact]
    public void ScorePrepared_ManyTiles_ShareOneModelCall()
    {
        var model = new FakeFocusModel(i => i, maxBatchSize: 64);
        var scorer = Scorer(model);
        var tiles = new[]
        {
            scorer.Prepare(Png(640, 320, new Rgb24(200, 120, 170))),
            scorer.Prepare(Png(320, 320, new Rgb24(242, 242, 240))),
            scorer.Prepare(Png(320, 320, new Rgb24(200, 120, 170))),
        };

        var scores = scorer.ScorePrepared(tiles);

        Assert.Equal([3], model.BatchSizes);
        Assert.Equal(0.5, scores[0].DefocusMicrons);
        Assert.Equal(FocusVerdict.NoTissue, scores[1].Verdict);
        Assert.Equal(2.0, scores[2].DefocusMicrons);
    }

    [Theory]
    [InlineData(1)]    // the CPU default
    [InlineData(2)]
    [InlineData(64)]   // the GPU worker's size
    public void ScorePrepared_ManyTiles_EachPatchScoredFromItsOwnPixels(int maxBatch)
    {
        // The model reads the red value of each patch, so a patch written from the wrong tile or region shows as a wrong
        // reading. One call per ScorePrepared whatever the batch size: splitting into runs is the model's business.
        var model = new RedReadingModel(maxBatch);
        var scorer = Scorer(model);
        var tiles = new[]
        {
            scorer.Prepare(Columns(new Rgb24(200, 120, 170), new Rgb24(180, 120, 170), new Rgb24(160, 120, 170))),
            scorer.Prepare(Png(320, 320, new Rgb24(242, 242, 240))),
            scorer.Prepare(Columns(new Rgb24(150, 100, 60), new Rgb24(130, 100, 60))),
        };

        var scores = scorer.ScorePrepared(tiles);

        Assert.Equal([5], model.BatchSizes);
        Assert.Equal([2.0, 1.8, 1.6], scores[0].Grid!.Patches.OrderBy(p => p.Column).Select(p => Math.Round(p.DefocusMicrons!.Value, 4)));
        Assert.Equal(FocusVerdict.NoTissue, scores[1].Verdict);
        Assert.Equal([1.5, 1.3], scores[2].Grid!.Patches.OrderBy(p => p.Column).Select(p => Math.Round(p.DefocusMicrons!.Value, 4)));
    }

    [Fact]
    public void Score_InputCoarserThanTheModel_WarnsOnceWithBothPixelSizes()
    {
        var logger = new RecordingLogger<TileScorer>();
        var scorer = new TileScorer(new FakeFocusModel(_ => 1f), Options.Create(new ScoringOptions()), Options.Create(new DecodeOptions()), logger);

        scorer.Score(Png(320, 320, new Rgb24(200, 120, 170)), micronsPerPixel: 0.5);
        Assert.DoesNotContain(logger.Entries, e => e.Level == LogLevel.Warning);
        scorer.Score(Png(200, 200, new Rgb24(200, 120, 170)), micronsPerPixel: 1.0);
        scorer.Score(Png(200, 200, new Rgb24(200, 120, 170)), micronsPerPixel: 1.0);

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal((1.0, 0.5), ((double)warning.State["InputMicronsPerPixel"]!, (double)warning.State["ModelMicronsPerPixel"]!));
    }

    [Fact]
    public void Prepare_AFaultTheDecoderDidNotForesee_IsThatTilesDecodeFailure()
    {
        var scorer = Scorer(new FakeFocusModel(_ => 1f));

        var ex = Assert.Throws<TileDecodeException>(() => scorer.Prepare(new FaultingStream()));
        var score = scorer.Score(new FaultingStream());

        Assert.Equal("Scoring failed (InvalidOperationException): the bytes broke something", ex.Message);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal(FocusVerdict.Failed, score.Verdict);
        Assert.Equal(ex.Message, score.Error);
    }

    [Fact]
    public void Prepare_Cancellation_IsNotATileFailure()
    {
        var scorer = Scorer(new FakeFocusModel(_ => 1f));

        Assert.Throws<OperationCanceledException>(() => scorer.Prepare(new FaultingStream(new OperationCanceledException())));
    }

    /// <summary>A stream whose every read throws what it is given (the decoder's own exceptions aside).</summary>
    private sealed class FaultingStream(Exception? fault = null) : MemoryStream(new byte[64])
    {
        public override int Read(byte[] buffer, int offset, int count) => throw fault ?? new InvalidOperationException("the bytes broke something");

        public override int Read(Span<byte> buffer) => throw fault ?? new InvalidOperationException("the bytes broke something");
    }

    private static TileScorer Scorer(IFocusModel model) =>
        new(model, Options.Create(new ScoringOptions()), Options.Create(new DecodeOptions()), NullLogger<TileScorer>.Instance);

    /// <summary>A 320 px high tile of 320 px wide columns, one colour each (one patch per column).</summary>
    private static MemoryStream Columns(params Rgb24[] colours)
    {
        using var image = new Image<Rgb24>(320 * colours.Length, 320);
        for (int x = 0; x < image.Width; x++)
        {
            for (int y = 0; y < image.Height; y++)
            {
                image[x, y] = colours[x / 320];
            }
        }

        return new MemoryStream(TestImages.Encode(image, new PngEncoder()));
    }

    internal static MemoryStream Png(int width, int height, Rgb24 colour)
    {
        using var image = new Image<Rgb24>(width, height, colour);
        return new MemoryStream(TestImages.Encode(image, new PngEncoder()));
    }

    /// <summary>Defocus = the first pixel's red value / 100, per patch; records each call's batch size.</summary>
    private sealed class RedReadingModel(int maxBatchSize) : IFocusModel
    {
        public ModelCard Card { get; } = new() { Name = "red", Version = "0", MicronsPerPixel = 0.5, PatchSize = 320 };

        public string Provider => "fake";

        public int MaxBatchSize => maxBatchSize;

        public List<int> BatchSizes { get; } = [];

        public bool PredictsScale => false;

        public void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
        {
            int patchLength = this.PatchLength();
            var patches = this.Gather(count, writePatch);
            BatchSizes.Add(count);
            for (int i = 0; i < count; i++)
            {
                defocusMicrons[i] = patches[i * patchLength] * 255f / 100f;
            }
        }
    }
}
