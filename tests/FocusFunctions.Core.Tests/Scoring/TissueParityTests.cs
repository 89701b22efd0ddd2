using System.Text.Json;

namespace FocusFunctions.Core.Tests.Scoring;

/// <summary>
/// The engine's tissue mask and patch grid against the fixture training writes with its port of them
/// (training/tissue.py; training/tests/test_tissue.py checks the same file): per-image evaluation in training reads
/// every shared image exactly as the engine does.
/// </summary>
public class TissueParityTests
{
    private static readonly string FixturePath = Path.Combine(RepositoryPaths.Models, "fixtures", "tissue-parity", "expected.json");

    public static TheoryData<string> Images()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePath));
        var data = new TheoryData<string>();
        foreach (var image in fixture.RootElement.GetProperty("images").EnumerateArray())
        {
            data.Add(image.GetProperty("file").GetString()!);
        }

        return data;
    }

    [Fact]
    public void Fixture_CoversEverySharedImage_UnderTheShippedCardAndDefaultGates()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePath));
        var root = fixture.RootElement;
        var card = ModelCard.Load(Path.Combine(RepositoryPaths.Models, "focus-model.json"));
        var options = new ScoringOptions();
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Histology, "manifest.json")));

        Assert.Equal(card.MicronsPerPixel, root.GetProperty("modelMicronsPerPixel").GetDouble());
        Assert.Equal(card.PatchSize, root.GetProperty("patchSize").GetInt32());
        Assert.Equal(TissueDetector.NeighbourhoodRadius, root.GetProperty("neighbourhoodRadius").GetInt32());
        Assert.Equal(options.MinPatchTissueFraction, root.GetProperty("minPatchTissueFraction").GetDouble());
        Assert.Equal(options.MinTileTissueFraction, root.GetProperty("minTileTissueFraction").GetDouble());
        Assert.Equal(
            manifest.RootElement.EnumerateArray().Select(e => e.GetProperty("file").GetString()).Order(),
            root.GetProperty("images").EnumerateArray().Select(e => e.GetProperty("file").GetString()).Order());
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void EngineMaskAndGrid_MatchTrainingsFixture(string file)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(FixturePath));
        var root = fixture.RootElement;
        var expected = root.GetProperty("images").EnumerateArray().Single(e => e.GetProperty("file").GetString() == file);
        var decoded = TileDecoder.Decode(File.ReadAllBytes(Path.Combine(RepositoryPaths.Histology, file)),
            new DecodeLimits(1 << 26, 1 << 26, TiffPageSelection.First));

        // The engine's path up to the model (TileScorer.Prepare): resample to the card's pixel size, grid, mask.
        var resampled = Resampler.Resample(decoded.Image, expected.GetProperty("micronsPerPixel").GetDouble(),
            root.GetProperty("modelMicronsPerPixel").GetDouble());
        var regions = PatchLayout.Cover(resampled.Width, resampled.Height, root.GetProperty("patchSize").GetInt32());
        var map = TissueDetector.Map(resampled);

        Assert.Equal(expected.GetProperty("width").GetInt32(), resampled.Width);
        Assert.Equal(expected.GetProperty("height").GetInt32(), resampled.Height);
        Assert.Equal(Ints(expected, "columns"), regions.Where(r => r.Row == 0).Select(r => r.X));
        Assert.Equal(Ints(expected, "rows"), regions.Where(r => r.Column == 0).Select(r => r.Y));
        Assert.Equal(Ints(expected, "patchTissuePixels"), regions.Select(r => map.Count(r.X, r.Y, r.Width, r.Height)));
        Assert.Equal(expected.GetProperty("tissuePixels").GetInt32(), map.Count(0, 0, map.Width, map.Height));
    }

    private static int[] Ints(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
