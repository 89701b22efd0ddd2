using System.CommandLine;
using Azure.Storage.Blobs.Models;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.Cli;

/// <summary><c>focus upload</c>: puts tile files into the tiles container under a slide folder (a stand-in for the scanner).</summary>
public static class UploadCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Tile files, or folders whose files are uploaded.", Arity = ArgumentArity.OneOrMore };
        var slide = new Option<string>("--slide", "-s") { Description = "Slide folder in the tiles container.", Required = true };
        var connection = CliStorage.ConnectionOption();
        var command = new Command("upload", "Upload tile files to the tiles container as <slide>/<file name>.") { paths, slide, connection };
        command.SetAction((parseResult, cancellationToken) => CliStorage.GuardAsync(parseResult.InvocationConfiguration.Error, async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var files = (parseResult.GetValue(paths) ?? [])
                .SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : new[] { p }).ToList();
            var missing = files.FirstOrDefault(f => !File.Exists(f));
            if (missing is not null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"focus: no such file: {missing}");
                return 1;
            }

            // Every name is checked by the rule all hosts share before anything is written: "--slide ../rejected"
            // would otherwise reach another container once a client collapses the "..".
            string prefix = parseResult.GetValue(slide)!.Trim('/');
            var names = new List<string>(files.Count);
            foreach (var file in files)
            {
                string name = $"{prefix}/{Path.GetFileName(file)}";
                if (BlobNames.Refusal(name) is { } reason)
                {
                    parseResult.InvocationConfiguration.Error.WriteLine($"focus: {reason}");
                    return 1;
                }

                names.Add(name);
            }

            await using var services = CliStorage.Build(parseResult.GetValue(connection) ?? CliStorage.DefaultConnection, new Dictionary<string, string?>());
            await CliStorage.EnsureCreatedAsync(services, cancellationToken);
            var tiles = services.GetRequiredService<StorageClientFactory>().Container(services.GetRequiredService<IOptions<StorageOptions>>().Value.TilesContainer);
            foreach (var (file, name) in files.Zip(names))
            {
                await tiles.GetBlobClient(name).UploadAsync(file, new BlobUploadOptions(), cancellationToken);
                output.WriteLine($"uploaded {name}");
            }

            return 0;
        }));
        return command;
    }
}
