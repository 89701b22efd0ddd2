using System.Net;
using FocusFunctions.App.Functions;
using FocusFunctions.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Functions;

[Collection(AzuriteCollection.Name)]
public sealed class SlideReportFunctionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Run_ProcessedSlide_SelfContainedHtmlWithThumbnailsFromEachTilesContainer()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);

        var response = await RunAsync(storage, SeededSlide.Slide);

        var test = HttpAssert.Status(HttpStatusCode.OK, response);
        Assert.True(test.Headers.TryGetValues("Content-Type", out var types));
        Assert.Equal("text/html; charset=utf-8", types.Single());
        Assert.Equal(ReportPage.ContentSecurityPolicy, test.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", test.Headers.GetValues("Cache-Control").Single());
        string html = test.BodyText();
        // Four decodable tiles: the two sharp ones and the background stay in tiles, the blurred one is read from rejected.
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(html, "<img src=\"data:image/jpeg;base64,").Count);
        Assert.Contains("alt=\"x000_y001.png: out of focus, ", html);
        Assert.DoesNotContain("other-slide", html);
    }

    [Fact]
    public async Task Run_UnknownSlide_NotFound()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);

        var json = HttpAssert.Json(HttpStatusCode.NotFound, await RunAsync(storage, "no-such-slide"));

        Assert.Contains("no-such-slide", json.GetProperty("error").GetString());
    }

    internal static async Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> RunAsync(TestStorage storage, string slide)
    {
        var function = ActivatorUtilities.CreateInstance<SlideReportFunction>(storage.Services);
        return await function.Run(new TestHttpRequestData($"http://localhost/api/slides/{slide}/report"), slide, CancellationToken.None);
    }
}
