using System.Net;
using FocusFunctions.App.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class SlideTilesFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_NoFilter_EveryRowOfThatSlideOnly()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideTilesFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(new TestHttpRequestData("http://localhost/api/slides/slide-h/tiles"), SeededSlide.Slide, CancellationToken.None));

        var names = json.EnumerateArray().Select(e => e.GetProperty("blobName").GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(SeededSlide.Tiles.Keys.Where(k => k.StartsWith("slide-h/", StringComparison.Ordinal)).Order(StringComparer.Ordinal), names);
        var sharp = json.EnumerateArray().Single(e => e.GetProperty("blobName").GetString() == "slide-h/x000_y000.png");
        Assert.Equal(("InFocus", 0, 0), (sharp.GetProperty("verdict").GetString(), sharp.GetProperty("tileX").GetInt32(), sharp.GetProperty("tileY").GetInt32()));
        Assert.Equal(sharp.GetProperty("gridColumns").GetInt32() * sharp.GetProperty("gridRows").GetInt32(), sharp.GetProperty("patchDefocus").GetArrayLength());
        Assert.All(json.EnumerateArray(), row => Assert.Equal(ResultJsonShape.PropertyNames, ResultJsonShape.NamesOf(row)));
    }

    [Fact]
    public async Task Run_VerdictFilterInAnyCase_OnlyThatVerdict()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideTilesFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(
            new TestHttpRequestData("http://localhost/api/slides/slide-h/tiles?verdict=outoffocus"), SeededSlide.Slide, CancellationToken.None));

        var tile = Assert.Single(json.EnumerateArray());
        Assert.Equal(("slide-h/x000_y001.png", "OutOfFocus", "Rejected"),
            (tile.GetProperty("blobName").GetString(), tile.GetProperty("verdict").GetString(), tile.GetProperty("location").GetString()));
    }

    [Fact]
    public async Task Run_UnknownVerdict_BadRequestNamingTheVerdicts()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideTilesFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.BadRequest, await function.Run(
            new TestHttpRequestData("http://localhost/api/slides/s/tiles?verdict=blurry"), "s", CancellationToken.None));

        Assert.Contains("OutOfFocus", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Run_SlideIdWithSlashSentAsPercent2F_RowsOfThatFolderOnly()
    {
        await using var storage = await SeededSlide.CreateNestedAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideTilesFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(new TestHttpRequestData("http://localhost/api/slides/lab-a%2Fslide-7/tiles"), "lab-a%2Fslide-7", CancellationToken.None));

        Assert.Equal(["lab-a/slide-7/x000_y000.png", "lab-a/slide-7/x001_y000.png"],
            json.EnumerateArray().Select(e => e.GetProperty("blobName").GetString()!).Order(StringComparer.Ordinal));
    }
}
