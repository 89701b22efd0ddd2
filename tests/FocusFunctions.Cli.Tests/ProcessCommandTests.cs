using System.CommandLine;
using FocusFunctions.TestSupport;
using FocusFunctions.Core.Processing;

namespace FocusFunctions.Cli.Tests;

public sealed class ProcessCommandTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();

    public Task InitializeAsync() => _cli.InitializeAsync();

    public Task DisposeAsync() => _cli.DisposeAsync();

    [Fact]
    public async Task Invoke_UnprocessedTiles_ScoredMovedAndCountedPerVerdict()
    {
        await _cli.UploadAsync("slide-c/x000_y000.png", TestTiles.Sharp);
        await _cli.UploadAsync("slide-c/x001_y000.png", TestTiles.Defocused);
        await _cli.UploadAsync("slide-c/x002_y000.png", TestTiles.Background);
        await _cli.UploadAsync("slide-c/x003_y000.png", TestTiles.HugeHeader);

        var (exitCode, output, errors) = await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString, "--batch-size", "3"]);

        Assert.True(exitCode == 0, errors);
        Assert.Contains("Processed 4 tile(s): InFocus 1, OutOfFocus 1, Indeterminate 0, NoTissue 1, Failed 1.", output);
        Assert.Equal(["slide-c/x001_y000.png"], await CliHarness.NamesAsync(_cli.Container("rejected")));
        Assert.Equal(["slide-c/x003_y000.png"], await CliHarness.NamesAsync(_cli.Container("quarantine")));
        Assert.Equal(2, (await CliHarness.NamesAsync(_cli.Container("tiles"))).Count);
    }

    [Fact]
    public async Task Invoke_SecondRun_NothingLeftToDo()
    {
        await _cli.UploadAsync("slide-c/x000_y000.png", TestTiles.Sharp);
        await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString]);

        var (exitCode, output, _) = await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Processed 0 tile(s)", output);
    }

    [Fact]
    public async Task Invoke_EmptyAccount_CreatesContainersAndTable()
    {
        var (exitCode, output, _) = await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Processed 0 tile(s)", output);
        foreach (var name in new[] { "tiles", "rejected", "quarantine" })
        {
            Assert.True((await _cli.Container(name).ExistsAsync()).Value, name);
        }
    }

    [Fact]
    public async Task Invoke_WatchUntilCancelled_PicksUpTilesUploadedLater()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString, "--watch", "--interval-seconds", "1"], stop.Token);
        await _cli.UploadAsync("slide-w/x000_y000.png", TestTiles.Defocused);

        // Done in the row is the last step of a tile's processing; stop the watch only after it.
        var results = new Azure.Data.Tables.TableClient(_cli.Azurite.ConnectionString, "FocusResults");
        while (!stop.IsCancellationRequested && !await IsDoneAsync(results, "slide-w", "x000_y000.png"))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        var (exitCode, output, _) = await run;

        Assert.Equal(0, exitCode);
        Assert.True(await IsDoneAsync(results, "slide-w", "x000_y000.png"));
        Assert.Equal(["slide-w/x000_y000.png"], await CliHarness.NamesAsync(_cli.Container("rejected")));
        Assert.Contains("Processed ", output);
    }

    private static async Task<bool> IsDoneAsync(Azure.Data.Tables.TableClient results, string partitionKey, string rowKey)
    {
        try
        {
            var row = await results.GetEntityIfExistsAsync<FocusResultEntity>(partitionKey, rowKey);
            return row.HasValue && row.Value!.Stage == nameof(TileStage.Done);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    [Fact]
    public async Task Invoke_ShippedModel_SharpStaysAndDefocusedIsRejected()
    {
        await _cli.UploadAsync("slide-m/x000_y000.png", TestTiles.Sharp);
        await _cli.UploadAsync("slide-m/x001_y000.png", TestTiles.Defocused);
        var root = new RootCommand { ProcessCommand.Create() };
        var output = new StringWriter();
        var errors = new StringWriter();

        int exitCode = await root.Parse(["process", "--connection", _cli.Azurite.ConnectionString, "--model", RepositoryPaths.ShippedModel])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

        Assert.True(exitCode == 0, errors.ToString());
        Assert.Contains("Processed 2 tile(s): InFocus 1, OutOfFocus 1, Indeterminate 0, NoTissue 0, Failed 0.", output.ToString());
        Assert.Equal(["slide-m/x001_y000.png"], await CliHarness.NamesAsync(_cli.Container("rejected")));
    }

    [Fact]
    public async Task Invoke_ScaleModel_IndeterminateCountedStaysInTilesAndEveryLineCarriesTheInterval()
    {
        await _cli.UploadAsync("slide-u/x000_y000.jpg", TestTiles.FlatStain("eosin"));
        await _cli.UploadAsync("slide-u/x001_y000.png", TestTiles.Sharp);
        await _cli.UploadAsync("slide-u/x002_y000.png", TestTiles.Defocused);
        var root = new RootCommand { ProcessCommand.Create(), ResultsCommand.Create() };
        var output = new StringWriter();
        var errors = new StringWriter();

        int exitCode = await root.Parse(["process", "--connection", _cli.Azurite.ConnectionString, "--model", RepositoryPaths.ScaleFixtureModel])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });

        Assert.True(exitCode == 0, errors.ToString());
        string text = output.ToString();
        Assert.Contains("Processed 3 tile(s): InFocus 1, OutOfFocus 1, Indeterminate 1, NoTissue 0, Failed 0.", text);
        Assert.Contains("INTERVAL_UM", text);
        var lines = text.Split('\n');
        Assert.Matches(@"^Processed\s+Indeterminate\s+\d+\.\d\d\s+\d+\.\d\d-\d+\.\d\d\s+Tiles\s+slide-u/x000_y000\.jpg \(.*could be judged", lines.Single(l => l.Contains("x000_y000", StringComparison.Ordinal)));
        Assert.Matches(@"^Processed\s+InFocus\s+\d+\.\d\d\s+\d+\.\d\d-[01]\.\d\d\s+Tiles", lines.Single(l => l.Contains("x001_y000", StringComparison.Ordinal)));
        Assert.Matches(@"^Processed\s+OutOfFocus\s+\d+\.\d\d\s+\d+\.\d\d-\d+\.\d\d\s+Rejected", lines.Single(l => l.Contains("x002_y000", StringComparison.Ordinal)));
        Assert.Equal(["slide-u/x000_y000.jpg", "slide-u/x001_y000.png"], await CliHarness.NamesAsync(_cli.Container("tiles")));

        var results = new StringWriter();
        await root.Parse(["results", "--connection", _cli.Azurite.ConnectionString, "--slide", "slide-u"])
            .InvokeAsync(new InvocationConfiguration { Output = results, Error = new StringWriter() });
        Assert.Contains("INTERVAL_UM", results.ToString());
        Assert.Matches(@"slide-u/x000_y000\.jpg\s+Indeterminate\s+\d+\.\d\d\s+\d+\.\d\d-\d+\.\d\d\s+Tiles\s+Done\s+\d+ of \d+ tissue patches could be judged", results.ToString());
    }

    [Fact]
    public async Task Invoke_MinDecisiveFractionOutsideItsRange_UsageErrorBeforeScoringAnything()
    {
        await _cli.UploadAsync("slide-f/x000_y000.png", TestTiles.Sharp);

        var (exitCode, _, errors) = await _cli.RunAsync(["process", "--connection", _cli.Azurite.ConnectionString, "--min-decisive-fraction", "0.3"]);

        Assert.Equal(ProcessRunner.ExitUsage, exitCode);
        Assert.Contains("MinDecisivePatchFraction", errors);
        Assert.Equal(["slide-f/x000_y000.png"], await CliHarness.NamesAsync(_cli.Container("tiles")));
    }

    [Fact]
    public async Task Invoke_MissingModelFile_UsageErrorNamingTheFile()
    {
        var root = new RootCommand { ProcessCommand.Create() };
        var errors = new StringWriter();

        int exitCode = await root.Parse(["process", "--connection", _cli.Azurite.ConnectionString, "--model", "/nonexistent/focus.onnx"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = errors });

        Assert.Equal(ProcessRunner.ExitUsage, exitCode);
        Assert.Contains("/nonexistent/focus.onnx", errors.ToString());
    }
}
