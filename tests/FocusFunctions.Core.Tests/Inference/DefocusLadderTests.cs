namespace FocusFunctions.Core.Tests.Inference;

/// <summary>The shipped model on held-out tissue given known physical defocus: monotonic, and verdicts flip at 2 µm.</summary>
public class DefocusLadderTests(ShippedModel shipped, DefocusLadder ladder) : IClassFixture<ShippedModel>, IClassFixture<DefocusLadder>
{
    public static TheoryData<string> Sources() => new(DefocusLadder.Sources);

    [Theory]
    [MemberData(nameof(Sources))]
    public void Score_IncreasingDefocus_ScoresMonotonically(string source)
    {
        var measured = DefocusLadder.Levels.Select(z => Score(source, z).DefocusMicrons!.Value).ToArray();

        string ladderText = string.Join(", ", DefocusLadder.Levels.Zip(measured, (z, m) => $"{z}→{m:0.00}"));
        for (int i = 1; i < measured.Length; i++)
        {
            // Strictly increasing once blur is resolvable; below 1 µm allow the model's ±0.15 µm noise floor.
            double slack = DefocusLadder.Levels[i] <= 1 ? 0.15 : 0;
            Assert.True(measured[i] > measured[i - 1] - slack, $"{source}: not monotonic: {ladderText}");
        }

        Assert.True(Math.Abs(measured[^1] - DefocusLadder.Levels[^1]) < 1.0, $"{source}: far from the truth at 8 µm: {ladderText}");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Score_AroundTheThreshold_VerdictsFlipWhereTheyShould(string source)
    {
        foreach (double z in DefocusLadder.Levels)
        {
            var score = Score(source, z);
            var expected = z < shipped.Scorer.Options.RejectAboveMicrons ? FocusVerdict.InFocus : FocusVerdict.OutOfFocus;
            Assert.True(expected == score.Verdict, $"{source} at {z} µm: {score.Verdict} ({score.DefocusMicrons:0.00} µm)");
        }
    }

    private TileScore Score(string source, double z)
    {
        using var stream = File.OpenRead(ladder.PathOf(source, z));
        return shipped.Scorer.Score(stream, micronsPerPixel: 0.5);
    }
}
