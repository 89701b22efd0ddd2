using System.Diagnostics;
using Azure.Data.Tables;
using FocusFunctions.Core.Processing;
using FocusFunctions.TestSupport;
using Xunit.Abstractions;

namespace FocusFunctions.Cli.Tests;

/// <summary>
/// Crash injection: a real <c>focus process</c> child process over a mix of good, undecodable and hostile tiles is
/// killed at random moments, again and again, then run to the end; every tile must end in exactly one container with
/// exactly one final row that says where it is. CI runs a few kills; FOCUS_CRASH_RUNS and FOCUS_CRASH_SEED make the
/// longer run of docs/failures.md (a failing seed reproduces).
/// </summary>
public sealed class CrashInjectionTests(ITestOutputHelper log) : IAsyncLifetime
{
    private readonly CliHarness _cli = new();

    public Task InitializeAsync() => _cli.InitializeAsync();

    public Task DisposeAsync() => _cli.DisposeAsync();

    [Fact]
    public async Task Process_KilledAtRandomPointsThenRestarted_EveryTileInOnePlaceWithOneRow()
    {
        int runs = int.TryParse(Environment.GetEnvironmentVariable("FOCUS_CRASH_RUNS"), out int r) ? r : 2;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FOCUS_CRASH_SEED"), out int s) ? s : Environment.TickCount;
        log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} FOCUS_CRASH_SEED={seed} FOCUS_CRASH_RUNS={runs}");
        var random = new Random(seed);
        var expectFailed = new Dictionary<string, bool>();
        var inputs = new (string Kind, byte[] Content, bool Failed)[]
        {
            ("sharp", TestTiles.Sharp, false), ("defocused", TestTiles.Defocused, false), ("second", TestTiles.SecondSharp, false),
            ("background", TestTiles.Background, false), ("truncated", TestTiles.Truncated, true), ("text", TestTiles.Text, true),
            ("empty", TestTiles.Empty, true), ("bomb-header", TestTiles.HugeHeader, true),
        };
        var results = new TableClient(_cli.Azurite.ConnectionString, "FocusResults");
        for (int run = 0; run < runs; run++)
        {
            // Each run brings new uploads in a shuffled order, and is killed once a random number of them have rows
            // (plus a random few milliseconds): kills land while tiles are scored, recorded and moved.
            foreach (var (kind, content, failed) in inputs.OrderBy(_ => random.Next()))
            {
                string name = $"slide-k{run:000}/x{expectFailed.Count:000}_y000-{kind}.png";
                await _cli.UploadAsync(name, content);
                expectFailed[name] = failed;
            }

            int rowsBefore = await CountAsync(results);
            int killAtRow = rowsBefore + random.Next(inputs.Length);
            var jitter = TimeSpan.FromMilliseconds(random.Next(0, 200));
            var (exited, runOutput) = await RunFocusProcessAsync(async stop =>
            {
                while (await CountAsync(results) < killAtRow)
                {
                    await Task.Delay(20, stop);
                }

                await Task.Delay(jitter, stop);
            });
            log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} run {run}: {(exited ? "finished before its kill" : "killed")} at row {killAtRow} + {jitter.TotalMilliseconds} ms");
            if (exited)
            {
                log.WriteLine(runOutput);
            }
        }

        var (finished, output) = await RunFocusProcessAsync(stop => Task.Delay(TimeSpan.FromMinutes(2), stop));
        log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} final run: " + output);
        Assert.True(finished, output);

        var places = new Dictionary<string, List<string>>();
        foreach (var container in new[] { "tiles", "rejected", "quarantine" })
        {
            foreach (var name in await CliHarness.NamesAsync(_cli.Container(container)))
            {
                (places.TryGetValue(name, out var found) ? found : places[name] = []).Add(container);
            }
        }

        var rows = new List<FocusResultEntity>();
        await foreach (var row in new TableClient(_cli.Azurite.ConnectionString, "FocusResults").QueryAsync<FocusResultEntity>())
        {
            rows.Add(row);
        }

        Assert.Equal(expectFailed.Keys.Order(StringComparer.Ordinal), places.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(expectFailed.Count, rows.Count);
        foreach (var (name, failed) in expectFailed)
        {
            var place = Assert.Single(places[name]);
            var row = Assert.Single(rows, x => x.BlobName == name);
            Assert.Equal(("Done", place), (row.Stage, row.Location.ToLowerInvariant()));
            Assert.True(failed == (row.Verdict == "Failed"), $"{name}: {row.Verdict} {row.Error}");
        }
    }

    private static async Task<int> CountAsync(TableClient results)
    {
        int count = 0;
        try
        {
            await foreach (var _ in results.QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                count++;
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // The first run creates the table.
        }

        return count;
    }

    /// <summary>Runs <c>focus process</c> as its own process; kills it (and its children) when <paramref name="killWhen"/> completes first.</summary>
    private async Task<(bool Exited, string Output)> RunFocusProcessAsync(Func<CancellationToken, Task> killWhen)
    {
        var start = new ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "focus.dll"), "process", "--connection", _cli.Azurite.ConnectionString,
                "--batch-size", "4", "--model", TestStorage.RealModelPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exit = process.WaitForExitAsync();
        using var stop = new CancellationTokenSource();
        var kill = killWhen(stop.Token);
        var first = await Task.WhenAny(exit, kill);
        await stop.CancelAsync();
        await kill.ContinueWith(_ => { }, TaskScheduler.Default);
        if (first != exit)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (false, await stdout + await stderr);
        }

        return (true, await stdout + await stderr);
    }
}
