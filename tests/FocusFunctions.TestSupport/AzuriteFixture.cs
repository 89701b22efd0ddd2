using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.TestSupport;

/// <summary>
/// A real Azurite (npm package from the repository's package.json) on free loopback ports with in-memory persistence,
/// started for the tests and killed afterwards. Restartable mid-test to simulate a storage outage; in-memory
/// persistence means a restart also loses every container, blob and table.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly StringBuilder _output = new();
    private readonly Func<(int Blob, int Queue, int Table)> _choosePorts;
    private Process? _process;

    public AzuriteFixture()
        : this(FreePorts)
    {
    }

    /// <summary>For the fixture's own tests: ports chosen by the caller (e.g. one already taken).</summary>
    internal AzuriteFixture(Func<(int Blob, int Queue, int Table)> choosePorts) => _choosePorts = choosePorts;

    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    public string ConnectionString => StorageConnection.Development(BlobPort, QueuePort, TablePort);

    public async Task InitializeAsync()
    {
        await EnsureInstalledAsync();
        // Test assemblies run in parallel, each with its own Azurite: a port found free here can be taken by another
        // process before Azurite binds it, so a start that fails is retried on new ports.
        for (int attempt = 1; ; attempt++)
        {
            (BlobPort, QueuePort, TablePort) = _choosePorts();
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                Stop();
            }
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    /// <summary>Kills Azurite (all its data is lost) and starts it again on the same ports.</summary>
    public async Task RestartAsync()
    {
        Stop();
        await StartAsync();
    }

    public void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "azurite"))
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", $"{BlobPort}", "--queuePort", $"{QueuePort}", "--tablePort", $"{TablePort}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        lock (_output)
        {
            _output.Clear();   // a restart must not find the previous run's "listening" lines
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilListeningAsync(process);
    }

    /// <summary>
    /// Ready when this Azurite says it listens on all three ports. A TCP connect is not enough: a port taken by
    /// another process (another test assembly's Azurite) accepts connections while this one exits with EADDRINUSE.
    /// </summary>
    private async Task WaitUntilListeningAsync(Process process)
    {
        string[] readyLines = [.. new[] { ("Blob", BlobPort), ("Queue", QueuePort), ("Table", TablePort) }
            .Select(s => $"Azurite {s.Item1} service is successfully listening at http://127.0.0.1:{s.Item2}")];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!readyLines.All(Output().Contains))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {Output()}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not report listening on {BlobPort}/{QueuePort}/{TablePort} within 60 s: {Output()}");
            }

            await Task.Delay(50);
        }
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Three distinct free ports (all three listeners are held at once, so none is handed out twice).</summary>
    internal static (int Blob, int Queue, int Table) FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    // A fresh clone has no node_modules yet: restore the pinned Azurite from package-lock.json once.
    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(RepositoryPaths.Root, "node_modules", ".bin", "azurite")))
            {
                return;
            }

            var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = RepositoryPaths.Root, UseShellExecute = false })
                ?? throw new InvalidOperationException("npm did not start; install Node.js and run 'npm ci' in the repository root.");
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci' failed with exit code {npm.ExitCode}; run it in the repository root.");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }
}

/// <summary>
/// The name of the test collection that shares one Azurite. xUnit reads collection definitions from the test assembly
/// only, so each test project declares <c>[CollectionDefinition(AzuriteCollection.Name)]</c> on a class of its own.
/// </summary>
public static class AzuriteCollection
{
    public const string Name = "Azurite";
}
