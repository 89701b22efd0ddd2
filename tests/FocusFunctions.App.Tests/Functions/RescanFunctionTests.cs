using System.Net;
using FocusFunctions.App.Functions;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class RescanFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_ProcessedSlide_OutOfFocusTilesWithGridPositions()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<RescanFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(new TestHttpRequestData("http://localhost/api/slides/slide-h/rescan"), SeededSlide.Slide, CancellationToken.None));

        var tile = Assert.Single(json.EnumerateArray());
        Assert.Equal(("slide-h/x000_y001.png", 0, 1), (tile.GetProperty("blobName").GetString(), tile.GetProperty("tileX").GetInt32(), tile.GetProperty("tileY").GetInt32()));
        Assert.True(tile.GetProperty("defocusMicrons").GetDouble() > 2.0);
    }

    [Fact]
    public async Task Run_SlideIdWithSlashSentAsPercent2F_OutOfFocusTilesOfThatFolderOnly()
    {
        await using var storage = await SeededSlide.CreateNestedAsync(azurite);
        var function = ActivatorUtilities.CreateInstance<RescanFunction>(storage.Services);

        var json = HttpAssert.Json(HttpStatusCode.OK, await function.Run(new TestHttpRequestData("http://localhost/api/slides/lab-a%2Fslide-7/rescan"), "lab-a%2Fslide-7", CancellationToken.None));

        var tile = Assert.Single(json.EnumerateArray());
        Assert.Equal(("lab-a/slide-7/x001_y000.png", 1, 0), (tile.GetProperty("blobName").GetString(), tile.GetProperty("tileX").GetInt32(), tile.GetProperty("tileY").GetInt32()));
    }
}
