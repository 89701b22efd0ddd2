using System.Text.Json;
using FocusFunctions.TestSupport;

namespace FocusFunctions.Cli.Tests;

public sealed class ResultsCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();

    public Task InitializeAsync() => _cli.InitializeAsync();

    public Task DisposeAsync() => _cli.DisposeAsync();

    [Fact]
    public async Task Invoke_SlideOption_OnlyThatSlidesRows()
    {
        await _cli.UploadAsync("slide-a/x000_y000.png", TestTiles.Sharp);
        await _cli.UploadAsync("slide-b/x000_y000.png", TestTiles.Empty);
        await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString]);

        var (exitCode, output, _) = await _cli.RunAsync(["results", "--connection", _cli.Azurite.ConnectionString, "--slide", "slide-b"]);

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("BLOB", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.Contains("slide-b/x000_y000.png", row);
        Assert.Contains("Quarantine", row);
        Assert.Contains("empty", row);
    }

    [Fact]
    public async Task Invoke_Json_OneObjectPerRow()
    {
        await _cli.UploadAsync("slide-a/x000_y000.png", TestTiles.Sharp);
        await _cli.UploadAsync("slide-b/x000_y000.png", TestTiles.Defocused);
        await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString]);

        var (_, output, _) = await _cli.RunAsync(["results", "--connection", _cli.Azurite.ConnectionString, "--json"]);

        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["InFocus", "OutOfFocus"], rows.OrderBy(r => r.GetProperty("blobName").GetString()).Select(r => r.GetProperty("verdict").GetString()));
        Assert.All(rows, row => Assert.Equal(ResultJsonShape.PropertyNames, ResultJsonShape.NamesOf(row)));
    }
}
