using System.Globalization;
using System.Net;
using FocusFunctions.App.Functions;
using Microsoft.Extensions.DependencyInjection;
using PuppeteerSharp;
using PuppeteerSharp.Input;

namespace FocusFunctions.App.Tests.Functions;

/// <summary>The report as the Function app serves it, opened in a real browser (Debian's chromium).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SlideReportBrowserTests(AzuriteFixture azurite, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Open_ProcessedSlide_NoConsoleErrorNoRequest_OneCellPerTile_ScreenshotWritten()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        await using var session = await OpenAsync(storage);

        Assert.Empty(session.ConsoleErrors);
        Assert.Empty(session.OutsideRequests);
        Assert.Equal(5, await session.EvalAsync<int>("document.querySelectorAll('#tile-grid .tile').length"));
        Assert.Equal(4, await session.EvalAsync<int>("[...document.images].filter(i => i.complete && i.naturalWidth > 0).length"));
        Assert.Equal("Rescan 1 tile, review 1", await session.EvalAsync<string>("document.getElementById('slide-verdict').textContent"));

        string screenshot = Artifact("slide-report.png");
        await session.Page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot shows the page");
    }

    [Fact]
    public async Task Click_DefocusedTile_DialogShowsItsMicronsVerdictAndLocation()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var row = (await storage.Services.GetRequiredService<SlideQueries>().RowsAsync(SeededSlide.Slide, FocusVerdict.OutOfFocus, CancellationToken.None)).Single();
        await using var session = await OpenAsync(storage);

        await session.Page.ClickAsync("#tile-grid .tile[data-x='0'][data-y='1']");

        Assert.True(await session.EvalAsync<bool>("document.getElementById('tile-dialog').open"));
        string facts = await session.EvalAsync<string>("document.getElementById('tile-dialog-facts').innerText");
        Assert.Contains("out of focus", facts);
        Assert.Contains(row.DefocusMicrons!.Value.ToString("0.00", CultureInfo.InvariantCulture) + " µm", facts);
        Assert.Contains("Rejected", facts);
        Assert.Equal(row.GridColumns * row.GridRows, await session.EvalAsync<int>("document.querySelectorAll('#tile-dialog-patches div').length"));
        Assert.Empty(session.ConsoleErrors);
        await session.Page.ScreenshotAsync(Artifact("slide-report-tile.png"));
    }

    [Fact]
    public async Task RescanList_EqualsTheHttpApis()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var api = HttpAssert.Json(HttpStatusCode.OK, await ActivatorUtilities.CreateInstance<RescanFunction>(storage.Services)
            .Run(new TestHttpRequestData("http://localhost/api/slides/slide-h/rescan"), SeededSlide.Slide, CancellationToken.None));
        await using var session = await OpenAsync(storage);

        string[] page = await session.EvalAsync<string[]>("[...document.querySelectorAll('#rescan-list tbody tr td:first-child')].map(td => td.textContent)");

        Assert.NotEmpty(page);
        Assert.Equal(api.EnumerateArray().Select(t => t.GetProperty("blobName").GetString()), page);
        string csv = await session.EvalAsync<string>("atob(document.getElementById('download-rescan').href.split(',')[1])");
        Assert.Equal(page, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]));
        await session.Page.ClickAsync("#copy-rescan");
        // The clipboard answers asynchronously (or refuses, and the page falls back to selecting the list): wait for its word.
        await session.Page.WaitForFunctionAsync("() => document.getElementById('copy-status').textContent.length > 0", new WaitForFunctionOptions { Timeout = 10_000 });
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task BrokenTile_ShownAsFailedWithItsError()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        var failed = (await storage.Services.GetRequiredService<SlideQueries>().RowsAsync(SeededSlide.Slide, FocusVerdict.Failed, CancellationToken.None)).Single();
        await using var session = await OpenAsync(storage);

        string list = await session.EvalAsync<string>("document.getElementById('failed-list').innerText");
        Assert.Contains(failed.BlobName, list);
        Assert.Contains(failed.Error!, list);
        Assert.True(await session.EvalAsync<bool>("document.querySelector(\"#tile-grid .tile[data-x='2'][data-y='0']\").classList.contains('v-failed')"));
    }

    [Fact]
    public async Task Keyboard_ArrowsMoveBetweenTiles_EnterOpens_OverlayToggles()
    {
        await using var storage = await SeededSlide.CreateAsync(azurite);
        await using var session = await OpenAsync(storage);

        await session.Page.FocusAsync("#tile-grid .tile[data-x='0'][data-y='0']");
        await session.Page.Keyboard.PressAsync(Key.ArrowRight);
        await session.Page.Keyboard.PressAsync(Key.ArrowDown);
        Assert.Equal("1,1", await session.EvalAsync<string>("document.activeElement.dataset.x + ',' + document.activeElement.dataset.y"));
        await session.Page.Keyboard.PressAsync(Key.Enter);
        Assert.True(await session.EvalAsync<bool>("document.getElementById('tile-dialog').open"));
        await session.Page.Keyboard.PressAsync(Key.Escape);
        Assert.False(await session.EvalAsync<bool>("document.getElementById('tile-dialog').open"));

        await session.Page.ClickAsync("#overlay-toggle");
        Assert.Equal("none", await session.EvalAsync<string>("getComputedStyle(document.querySelector('.tile .ov')).display"));
        Assert.Empty(session.ConsoleErrors);
    }

    /// <summary>Screenshots go beside the test binaries (bin/ is not committed).</summary>
    private static string Artifact(string name) =>
        Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName, name);

    private async Task<ReportPageSession> OpenAsync(TestStorage storage)
    {
        var response = HttpAssert.Status(HttpStatusCode.OK, await SlideReportFunctionTests.RunAsync(storage, SeededSlide.Slide));
        return await chromium.OpenAsync(response.BodyBytes());
    }
}
