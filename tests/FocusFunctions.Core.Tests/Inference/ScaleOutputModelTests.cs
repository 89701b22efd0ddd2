using Microsoft.Extensions.Logging.Abstractions;

namespace FocusFunctions.Core.Tests.Inference;

/// <summary>
/// Issue 25 through ONNX Runtime: the fixture model (1.1.0's graph plus a defocus_scale_um output) says Indeterminate for
/// tiles without structure, keeps its verdicts on real tissue, and 1.1.0 itself (no scale) never says it.
/// </summary>
public sealed class ScaleOutputModelTests(ScaleFixtureModel fixture, PointOnlyModel pointOnly) : IClassFixture<ScaleFixtureModel>, IClassFixture<PointOnlyModel>
{
    public static TheoryData<string> Stains => new(TestTiles.Stains.Keys);

    [Fact]
    public void Card_NamesTheScaleOutputAndLevel()
    {
        Assert.True(fixture.Model.PredictsScale);
        Assert.Equal("defocus_scale_um", fixture.Model.Card.ScaleOutputName);
        Assert.Equal(0.8, fixture.Model.Card.IntervalLevel);
        Assert.Equal("1.1.0-scale-fixture", fixture.Model.Card.Version);
        Assert.False(pointOnly.Model.PredictsScale);
        Assert.Null(pointOnly.Model.Card.ScaleOutputName);
    }

    [Fact]
    public void Predict_SameRunGivesThePointOnlyDefocusAndAScale_LargeOnFlatSmallOnTissue()
    {
        var flat = fixture.Scorer.Prepare(new MemoryStream(TestTiles.FlatStain("eosin")));
        var sharp = fixture.Scorer.Prepare(new MemoryStream(TestTiles.Sharp));
        int patch = fixture.Model.PatchLength();
        var patches = new float[2 * patch];
        flat.WritePatch(0, patches.AsSpan(0, patch));
        sharp.WritePatch(0, patches.AsSpan(patch, patch));

        var defocus = new float[2];
        var scale = new float[2];
        fixture.Model.Predict(patches, 2, defocus, scale);
        var pointOnlyDefocus = new float[2];
        pointOnly.Model.Predict(patches, 2, pointOnlyDefocus);
        var defocusOnly = new float[2];
        fixture.Model.Predict(patches, 2, defocusOnly);

        Assert.Equal(pointOnlyDefocus[0], defocus[0], 3);
        Assert.Equal(pointOnlyDefocus[1], defocus[1], 3);
        Assert.Equal(defocus, defocusOnly);
        Assert.True(scale[0] > 5, $"flat patch: b = {scale[0]} µm");
        Assert.True(scale[1] < 0.5, $"sharp tissue: b = {scale[1]} µm");
    }

    [Theory]
    [MemberData(nameof(Stains))]
    public void Score_FlatStainWithNoiseAndJpeg_IndeterminateWithAReason(string stain)
    {
        var score = fixture.Score(TestTiles.FlatStain(stain));

        Assert.Equal(FocusVerdict.Indeterminate, score.Verdict);
        Assert.Contains("could be judged at the 2 µm threshold", score.VerdictReason);
        Assert.True(score.DefocusLowMicrons <= 2 && score.DefocusHighMicrons > 2, $"interval {score.DefocusLowMicrons}–{score.DefocusHighMicrons} µm");
        Assert.All(score.Grid!.Patches.Where(p => p.DefocusMicrons is not null),
            p => Assert.Equal(PatchJudgement.Undecided, p.Judgement(score.ThresholdMicrons)));
    }

    [Theory]
    [MemberData(nameof(Stains))]
    public void Score_FlatStainWithThePointOnlyModel_NeverIndeterminate(string stain)
    {
        var score = pointOnly.Scorer.Score(new MemoryStream(TestTiles.FlatStain(stain)));

        Assert.NotEqual(FocusVerdict.Indeterminate, score.Verdict);
        Assert.Null(score.DefocusLowMicrons);
        Assert.Null(score.DefocusHighMicrons);
        Assert.Null(score.VerdictReason);
        Assert.All(score.Grid!.Patches, p => Assert.Null(p.DefocusLowMicrons));
    }

    [Fact]
    public void Score_SharpTissue_InFocusWithAnIntervalBelowTheThreshold() => IntervalVerdicts.AssertInFocusBelow(fixture.Score(TestTiles.Sharp));

    [Fact]
    public void Score_DefocusedTissue_OutOfFocusWithAnIntervalAboveTheThreshold() => IntervalVerdicts.AssertOutOfFocusAbove(fixture.Score(TestTiles.Defocused));

    [Fact]
    public void Score_SameTilesWithThePointOnlyModel_SameVerdictsAndNoInterval()
    {
        Assert.Equal(FocusVerdict.InFocus, pointOnly.Scorer.Score(new MemoryStream(TestTiles.Sharp)).Verdict);
        var defocused = pointOnly.Scorer.Score(new MemoryStream(TestTiles.Defocused));
        Assert.Equal(FocusVerdict.OutOfFocus, defocused.Verdict);
        Assert.Null(defocused.DefocusLowMicrons);
    }

    [Fact]
    public void Load_CardNamesAScaleOutputTheGraphLacks_RefusedWithTheOutputsFound()
    {
        var card = ModelCard.Load(ModelCard.PathFor(RepositoryPaths.PointOnlyModel)) with { ScaleOutputName = "defocus_scale_um" };

        var error = Assert.Throws<InvalidDataException>(() =>
            new OnnxFocusModel(new OnnxModelOptions { ModelPath = RepositoryPaths.PointOnlyModel }, NullLogger.Instance, card));

        Assert.Contains("no output 'defocus_scale_um'", error.Message);
        Assert.Contains("defocus_um", error.Message);
    }

    [Fact]
    public void Load_FixtureGraphWithThePointOnlyCard_RunsWithoutScale()
    {
        // A model's second output is read only when its card names it.
        var card = ModelCard.Load(ModelCard.PathFor(RepositoryPaths.PointOnlyModel));
        using var model = new OnnxFocusModel(new OnnxModelOptions { ModelPath = RepositoryPaths.ScaleFixtureModel, IntraOpThreads = 1 }, NullLogger.Instance, card);

        Assert.False(model.PredictsScale);
    }

    [Theory]
    [InlineData(0.0, null)]
    [InlineData(1.0, null)]
    [InlineData(0.8, "gaussian")]
    public void Validate_BadUncertaintyBlock_Refused(double level, string? distribution)
    {
        var card = new ModelCard
        {
            Name = "m", Version = "1", MicronsPerPixel = 0.5, PatchSize = 320, ScaleOutputName = "defocus_scale_um",
            Uncertainty = new UncertaintyCard { IntervalLevel = level, Distribution = distribution },
        };

        Assert.Throws<InvalidDataException>(() => card.Validate("test"));
    }

    [Fact]
    public void CopyScale_ZeroNaNAndInfinity_BoundedAndNeverCertain()
    {
        var scales = new float[4];

        OnnxFocusModel.CopyScale([0f, float.NaN, float.PositiveInfinity, 0.7f], scales);

        Assert.Equal([OnnxFocusModel.MinScaleMicrons, OnnxFocusModel.MaxScaleMicrons, OnnxFocusModel.MaxScaleMicrons, 0.7f], scales);
    }
}
