using FocusFunctions.TestSupport;
namespace FocusFunctions.Cli.Tests;

public sealed class UploadCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("focus-upload-").FullName;

    public Task InitializeAsync() => _cli.InitializeAsync();

    public async Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        await _cli.DisposeAsync();
    }

    [Fact]
    public async Task Invoke_Folder_EveryFileUnderTheSlideFolder()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "x000_y000.png"), TestTiles.Sharp);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "x001_y000.png"), TestTiles.Background);

        var (exitCode, output, errors) = await _cli.RunAsync(["upload", _folder, "--slide", "slide-u", "--connection", _cli.Azurite.ConnectionString]);

        Assert.True(exitCode == 0, errors);
        Assert.Equal(["slide-u/x000_y000.png", "slide-u/x001_y000.png"], await CliHarness.NamesAsync(_cli.Container("tiles")));
        Assert.Contains("uploaded slide-u/x001_y000.png", output);
        Assert.Equal(TestTiles.Sharp, (await _cli.Container("tiles").GetBlobClient("slide-u/x000_y000.png").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task Invoke_MissingFile_ExitCodeOneAndNothingUploaded()
    {
        var (exitCode, _, errors) = await _cli.RunAsync(["upload", Path.Combine(_folder, "nope.png"), "--slide", "s", "--connection", _cli.Azurite.ConnectionString]);

        Assert.Equal(1, exitCode);
        Assert.Contains("nope.png", errors);
        Assert.False((await _cli.Container("tiles").ExistsAsync()).Value);
    }

    [Theory]
    [InlineData("../rejected")]
    [InlineData("a/../../rejected")]
    [InlineData("./s")]
    [InlineData(@"s\..\x")]
    [InlineData("a//b")]
    public async Task Invoke_SlideThatLeavesTheTilesContainer_RefusedAndNothingWritten(string slide)
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "x000_y000.png"), TestTiles.Sharp);

        var (exitCode, _, errors) = await _cli.RunAsync(["upload", _folder, "--slide", slide, "--connection", _cli.Azurite.ConnectionString]);

        Assert.Equal(1, exitCode);
        Assert.Matches("segment|backslash", errors);
        Assert.False((await _cli.Container("tiles").ExistsAsync()).Value);
        Assert.False((await _cli.Container("rejected").ExistsAsync()).Value);
    }
}
