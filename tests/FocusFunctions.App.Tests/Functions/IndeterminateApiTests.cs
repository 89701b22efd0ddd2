using System.Net;
using FocusFunctions.App.Functions;
using FocusFunctions.Core.Maps;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FocusFunctions.App.Tests.Functions;

/// <summary>Issue 25 through the Function app: a slide scored by a model with a scale output, as every endpoint shows it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class IndeterminateApiTests(AzuriteFixture azurite)
{
    private const string Slide = SeededSlide.ScaleSlide;

    [Fact]
    public async Task Summary_CountsIndeterminateBesideTheOtherVerdicts()
    {
        await using var storage = await SeededSlide.CreateWithScaleModelAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideSummaryFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(new TestHttpRequestData($"http://localhost/api/slides/{Slide}"), Slide, CancellationToken.None));

        var verdicts = json.GetProperty("verdicts");
        Assert.Equal(["InFocus", "OutOfFocus", "Indeterminate", "NoTissue", "Failed"], verdicts.EnumerateObject().Select(p => p.Name));
        Assert.Equal((1, 1, 1, 0, 0), (verdicts.GetProperty("InFocus").GetInt32(), verdicts.GetProperty("OutOfFocus").GetInt32(),
            verdicts.GetProperty("Indeterminate").GetInt32(), verdicts.GetProperty("NoTissue").GetInt32(), verdicts.GetProperty("Failed").GetInt32()));
        Assert.Equal([$"{Slide}/x002_y000.png"], json.GetProperty("rejectedTiles").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Tiles_IndeterminateFilter_RowWithItsIntervalAndReason()
    {
        await using var storage = await SeededSlide.CreateWithScaleModelAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideTilesFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(
            new TestHttpRequestData($"http://localhost/api/slides/{Slide}/tiles?verdict=indeterminate"), Slide, CancellationToken.None));

        var tile = Assert.Single(json.EnumerateArray());
        Assert.Equal(ResultJsonShape.PropertyNames, ResultJsonShape.NamesOf(tile));
        Assert.Equal(($"{Slide}/x000_y000.jpg", "Indeterminate", "Tiles"),
            (tile.GetProperty("blobName").GetString(), tile.GetProperty("verdict").GetString(), tile.GetProperty("location").GetString()));
        Assert.Contains("tissue patches could be judged at the 2 µm threshold", tile.GetProperty("verdictReason").GetString());
        Assert.True(tile.GetProperty("defocusLowMicrons").GetDouble() <= 2 && tile.GetProperty("defocusHighMicrons").GetDouble() > 2);
        Assert.Equal("1.1.0-scale-fixture", tile.GetProperty("modelVersion").GetString());
    }

    [Fact]
    public async Task Tiles_AllRows_DecidedTilesCarryAnIntervalOnTheirSide()
    {
        await using var storage = await SeededSlide.CreateWithScaleModelAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideTilesFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(
            new TestHttpRequestData($"http://localhost/api/slides/{Slide}/tiles"), Slide, CancellationToken.None));

        var rows = json.EnumerateArray().ToDictionary(r => r.GetProperty("blobName").GetString()!);
        Assert.True(rows[$"{Slide}/x001_y000.png"].GetProperty("defocusHighMicrons").GetDouble() <= 2);
        Assert.True(rows[$"{Slide}/x002_y000.png"].GetProperty("defocusLowMicrons").GetDouble() > 2);
    }

    [Fact]
    public async Task FocusMap_IndeterminateTileStriped()
    {
        await using var storage = await SeededSlide.CreateWithScaleModelAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<FocusMapFunction>(storage.Services);

        var response = HttpAssert.Status(HttpStatusCode.OK, await function.Run(
            new TestHttpRequestData($"http://localhost/api/slides/{Slide}/focusmap.png"), Slide, CancellationToken.None));

        using var map = Image.Load<Rgb24>(response.BodyBytes());
        // Cells of 64 px after an 8 px margin (three tiles in a row: 768 / 3 = 256, capped at 64).
        int Striped(int column)
        {
            int count = 0;
            for (int y = 8; y < 8 + 63; y++)
            {
                for (int x = 8 + column * 64; x < 8 + column * 64 + 63; x++)
                {
                    count += map[x, y] == DefocusPalette.Indeterminate ? 1 : 0;
                }
            }

            return count;
        }

        Assert.True(Striped(0) > 1000, $"{Striped(0)} magenta pixels on the Indeterminate tile");
        Assert.Equal((0, 0), (Striped(1), Striped(2)));
    }

    [Fact]
    public async Task Report_IndeterminateTileListedWithItsReasonAndTheSlideNeedsReview()
    {
        await using var storage = await SeededSlide.CreateWithScaleModelAsync(azurite);

        var response = await SlideReportFunctionTests.RunAsync(storage, Slide);

        string html = HttpAssert.Status(HttpStatusCode.OK, response).BodyText();
        Assert.Contains("id=\"indeterminate-list\"", html);
        Assert.Contains("tissue patches could be judged at the 2 ", html); // µ is written as a character reference
        Assert.Contains("<tr data-verdict=\"Indeterminate\"><td>indeterminate</td><td class=\"num\">1</td></tr>", html);
        Assert.Contains("class=\"tile v-indeterminate\"", html);
        Assert.Contains("Rescan 1 tile, review 1", html);
    }
}
