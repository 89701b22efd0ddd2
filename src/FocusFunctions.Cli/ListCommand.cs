using System.CommandLine;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.Cli;

/// <summary><c>focus list &lt;container&gt;</c>: the blobs of a container, with the focus metadata written on moved tiles.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var container = new Argument<string>("container") { Description = "Container name, e.g. tiles, rejected or quarantine." };
        var connection = CliStorage.ConnectionOption();
        var command = new Command("list", "List the blobs of a container (moved tiles show their verdict and defocus).") { container, connection };
        command.SetAction((parseResult, cancellationToken) => CliStorage.GuardAsync(parseResult.InvocationConfiguration.Error, async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            await using var services = CliStorage.Build(parseResult.GetValue(connection) ?? CliStorage.DefaultConnection, new Dictionary<string, string?>());
            var client = services.GetRequiredService<StorageClientFactory>().Container(parseResult.GetValue(container)!);
            if (!(await client.ExistsAsync(cancellationToken)).Value)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"focus: container '{client.Name}' does not exist.");
                return 1;
            }

            await foreach (var blob in client.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Traits = Azure.Storage.Blobs.Models.BlobTraits.Metadata }, cancellationToken))
            {
                string verdict = blob.Metadata.TryGetValue(MetadataKeys.Verdict, out var v) ? v : "";
                string defocus = blob.Metadata.TryGetValue(MetadataKeys.DefocusMicrons, out var d) ? $"{d} µm" : "";
                output.WriteLine($"{client.Name}/{blob.Name}  {blob.Properties.ContentLength,9:N0} bytes  {verdict} {defocus}".TrimEnd());
            }

            return 0;
        }));
        return command;
    }
}
