using System.Net;
using FocusFunctions.App.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class SlideSummaryFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_ProcessedSlide_CountsPerVerdictAndDefocusStatistics()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideSummaryFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(new TestHttpRequestData("http://localhost/api/slides/slide-h"), SeededSlide.Slide, CancellationToken.None));

        Assert.Equal(5, json.GetProperty("tileCount").GetInt32());
        Assert.Equal(0, json.GetProperty("pendingCount").GetInt32());
        var verdicts = json.GetProperty("verdicts");
        Assert.Equal((2, 1, 1, 1), (verdicts.GetProperty("InFocus").GetInt32(), verdicts.GetProperty("OutOfFocus").GetInt32(),
            verdicts.GetProperty("NoTissue").GetInt32(), verdicts.GetProperty("Failed").GetInt32()));
        Assert.Equal(["slide-h/x000_y001.png"], json.GetProperty("rejectedTiles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["slide-h/x002_y000.png"], json.GetProperty("quarantinedTiles").EnumerateArray().Select(e => e.GetString()));

        var defocus = (await storage.RowsAsync()).Where(r => r.PartitionKey == SeededSlide.Slide && r.DefocusMicrons.HasValue)
            .Select(r => r.DefocusMicrons!.Value).Order().ToList();
        Assert.Equal(3, defocus.Count);
        Assert.Equal(defocus[1], json.GetProperty("medianDefocusMicrons").GetDouble(), 5);
        Assert.Equal(defocus.Average(), json.GetProperty("meanDefocusMicrons").GetDouble(), 5);
    }

    [Fact]
    public async Task Run_UnknownSlide_NotFoundWithMessage()
    {
        await using var storage = await TestStorage.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideSummaryFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.NotFound, await function.Run(new TestHttpRequestData("http://localhost/api/slides/nope"), "nope", CancellationToken.None));

        Assert.Contains("nope", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Run_SlideIdWithSlashSentAsPercent2F_FindsTheSlide()
    {
        await using var storage = await SeededSlide.CreateNestedAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<SlideSummaryFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(new TestHttpRequestData("http://localhost/api/slides/lab-a%2Fslide-7"), "lab-a%2fslide-7", CancellationToken.None));

        Assert.Equal(2, json.GetProperty("tileCount").GetInt32());
        Assert.Equal((1, 1), (json.GetProperty("verdicts").GetProperty("InFocus").GetInt32(), json.GetProperty("verdicts").GetProperty("OutOfFocus").GetInt32()));
    }
}
