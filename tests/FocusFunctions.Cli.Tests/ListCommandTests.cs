using FocusFunctions.TestSupport;

namespace FocusFunctions.Cli.Tests;

public sealed class ListCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();

    public Task InitializeAsync() => _cli.InitializeAsync();

    public Task DisposeAsync() => _cli.DisposeAsync();

    [Fact]
    public async Task Invoke_RejectedContainer_MovedTileWithVerdictAndDefocus()
    {
        await _cli.UploadAsync("slide-l/x000_y000.png", TestTiles.Defocused);
        await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString]);

        var (exitCode, output, _) = await _cli.RunAsync(["list", "rejected", "--connection", _cli.Azurite.ConnectionString]);

        Assert.Equal(0, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("rejected/slide-l/x000_y000.png", line);
        Assert.Matches(@"OutOfFocus \d+(\.\d+)? µm$", line);
    }

    [Fact]
    public async Task Invoke_MissingContainer_ExitCodeOne()
    {
        var (exitCode, _, errors) = await _cli.RunAsync(["list", "nothing-here", "--connection", _cli.Azurite.ConnectionString]);

        Assert.Equal(1, exitCode);
        Assert.Contains("nothing-here", errors);
    }

    [Fact]
    public async Task Invoke_MalformedConnection_OneReadableLineAndExitCodeTwo()
    {
        var (exitCode, _, errors) = await _cli.RunAsync(["list", "tiles", "--connection", "this is not a connection string"]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("focus: storage:", errors);
        Assert.DoesNotContain("   at ", errors);
    }
}
