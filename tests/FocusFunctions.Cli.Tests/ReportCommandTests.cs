using System.Text.Json;
using System.Text.RegularExpressions;
using FocusFunctions.TestSupport;

namespace FocusFunctions.Cli.Tests;

public sealed class ReportCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("focus-report-").FullName;

    public Task InitializeAsync() => _cli.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _cli.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Local_FolderOfNamedTiles_PageWithEveryTileAtItsPositionAndTheScoresPrinted()
    {
        var slide = Directory.CreateDirectory(Path.Combine(_folder, "slide-9")).FullName;
        File.WriteAllBytes(Path.Combine(slide, "x000_y000.png"), TestTiles.Sharp);
        File.WriteAllBytes(Path.Combine(slide, "x001_y000.png"), TestTiles.Background);
        File.WriteAllText(Path.Combine(slide, "x000_y001.png"), "not an image");
        string page = Path.Combine(_folder, "report.html");

        var (exit, output, errors) = RunLocal("report", slide, "--output", page);

        Assert.Equal(2, exit);
        Assert.Contains("x000_y000.png", output);
        Assert.Contains($"report written to {page}", errors);
        string html = File.ReadAllText(page);
        Assert.Contains("<title>Focus QC: slide-9</title>", html);
        Assert.Equal(3, Regex.Matches(html, "class=\"tile ").Count);
        Assert.Equal(2, Regex.Matches(html, "<img src=\"data:image/jpeg;base64,").Count);
        Assert.Contains("<strong id=\"slide-verdict\">Review 1 tile</strong>", html);
        Assert.Contains("local file", html);
        Assert.Contains($"<dd id=\"model\">focus-model {ShippedVersion()}</dd>", html);
    }

    private static string ShippedVersion()
    {
        using var card = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("models", "focus-model.json")));
        return card.RootElement.GetProperty("version").GetString()!;
    }

    [Fact]
    public void Local_NeitherPathsNorSlide_UsageError()
    {
        var (exit, _, errors) = RunLocal("report", "--output", Path.Combine(_folder, "r.html"));

        Assert.Equal(1, exit);
        Assert.Contains("--slide", errors);
    }

    [Fact]
    public async Task Slide_FromStorage_SamePageAsTheResultsTableSays()
    {
        await _cli.UploadAsync("slide-s/x000_y000.png", TestTiles.Sharp);
        await _cli.UploadAsync("slide-s/x001_y000.png", TestTiles.Defocused);
        await _cli.UploadAsync("slide-s/x002_y000.png", TestTiles.Truncated);
        await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString]);
        string page = Path.Combine(_folder, "slide-s.html");

        var (exit, _, errors) = await _cli.RunAsync(["report", "--slide", "slide-s", "--output", page, "--connection", _cli.Azurite.ConnectionString]);

        Assert.True(exit == 0, errors);
        string html = await File.ReadAllTextAsync(page);
        Assert.Contains("Rescan 1 tile, review 1", html);
        Assert.Matches("(?s)id=\"rescan-list\".*slide-s/x001_y000.png", html);
        // Sharp from tiles and blurred from rejected; the truncated one is shown from quarantine as far as it decodes, or not at all.
        Assert.InRange(Regex.Matches(html, "<img src=\"data:image/jpeg;base64,").Count, 2, 3);
    }

    [Fact]
    public async Task Slide_Unknown_SaysSoAndExitsOne()
    {
        var (exit, _, errors) = await _cli.RunAsync(["report", "--slide", "nothing-here", "--output", Path.Combine(_folder, "r.html"), "--connection", _cli.Azurite.ConnectionString]);

        Assert.Equal(1, exit);
        Assert.Contains("no results for slide 'nothing-here'", errors);
        Assert.False(File.Exists(Path.Combine(_folder, "r.html")));
    }

    private static (int Exit, string Output, string Errors) RunLocal(params string[] args) => CliHarness.RunLocal(ReportCommand.Create(), args);
}
