using System.Net;
using FocusFunctions.App.Functions;
using FocusFunctions.Core.Maps;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.App.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class FocusMapFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_ProcessedSlide_PngWithTilesColouredByVerdictAndDefocus()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<FocusMapFunction>(storage.Services);

        var response = HttpAssert.Status(HttpStatusCode.OK, await function.Run(
            new TestHttpRequestData("http://localhost/api/slides/slide-h/focusmap.png"), SeededSlide.Slide, CancellationToken.None));

        Assert.True(response.Headers.TryGetValues("Content-Type", out var types));
        Assert.Equal("image/png", types.Single());
        using var map = Image.Load<Rgb24>(response.BodyBytes());
        // 3 x 2 tiles of 64 px cells after an 8 px margin: sample the middle of each cell.
        Rgb24 Cell(int x, int y) => map[8 + x * 64 + 32, 8 + y * 64 + 32];
        Assert.True(Cell(0, 0).B > Cell(0, 0).G, "a sharp tile is at the violet end of the scale");
        Assert.True(Cell(0, 1).R > DefocusPalette.AtThreshold.R && Cell(0, 1).G > DefocusPalette.AtThreshold.G, "a defocused tile is past the threshold's teal, towards yellow");
        Assert.Equal(DefocusPalette.NoTissue, Cell(1, 1));
        Assert.Equal(DefocusPalette.Failed, Cell(2, 0));
        Assert.Equal(DefocusPalette.Background, Cell(2, 1));
    }

    [Fact]
    public async Task Run_SlideWithoutGridPositions_NotFound()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        await storage.UploadAsync("unplaced/tile-a.png", TestTiles.Sharp);
        await storage.Processor.ProcessAsync("unplaced/tile-a.png", CancellationToken.None);
        var function = ActivatorUtilities.CreateInstance<FocusMapFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.NotFound, await function.Run(
            new TestHttpRequestData("http://localhost/api/slides/unplaced/focusmap.png"), "unplaced", CancellationToken.None));

        Assert.Contains("GridPositionPattern", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Run_SlideIdWithSlashSentAsPercent2F_MapOfThatFolderOnly()
    {
        await using var storage = await SeededSlide.CreateNestedAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<FocusMapFunction>(storage.Services);

        var response = HttpAssert.Status(HttpStatusCode.OK, await function.Run(
            new TestHttpRequestData("http://localhost/api/slides/lab-a%2Fslide-7/focusmap.png"), "lab-a%2Fslide-7", CancellationToken.None));

        using var map = Image.Load<Rgb24>(response.BodyBytes());
        Rgb24 Cell(int x) => map[8 + x * 64 + 32, 8 + 32];
        Assert.True(Cell(0).B > Cell(0).G, "lab-a's sharp tile at x000 is at the violet end, not lab-b's defocused one");
        Assert.True(Cell(1).R > DefocusPalette.AtThreshold.R, "its defocused tile at x001 is past the threshold, towards yellow");
    }
}
