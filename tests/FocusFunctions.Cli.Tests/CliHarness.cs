using System.CommandLine;
using Azure.Storage.Blobs;
using FocusFunctions.TestSupport;

namespace FocusFunctions.Cli.Tests;

/// <summary>
/// The CLI against an Azurite of its own (the Function tests' harness): the commands use the default container and
/// table names, so sharing an Azurite with other tests would mix their tiles.
/// </summary>
public sealed class CliHarness : IAsyncLifetime
{
    public AzuriteFixture Azurite { get; } = new();

    public BlobServiceClient Blobs => new(Azurite.ConnectionString);

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public Task InitializeAsync() => Azurite.InitializeAsync();

    public Task DisposeAsync() => Azurite.DisposeAsync();

    public static async Task<List<string>> NamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async Task UploadAsync(string blobName, byte[] content)
    {
        var tiles = Container("tiles");
        await tiles.CreateIfNotExistsAsync();
        await tiles.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(content), overwrite: true);
    }

    /// <summary>Runs one command that needs no storage (score, report of local files) in process, capturing its output.</summary>
    public static (int Exit, string Output, string Errors) RunLocal(Command command, params string[] args)
    {
        var root = new RootCommand { command };
        var output = new StringWriter();
        var errors = new StringWriter();
        int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>Runs <c>focus</c> with <paramref name="args"/> as Program.cs wires it, but with the test model for <c>process</c>.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("focus (test)");
        root.Subcommands.Add(ProcessCommand.Create(_ => new LaplacianFocusModel()));
        root.Subcommands.Add(ResultsCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(UploadCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors }, cancellationToken);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
