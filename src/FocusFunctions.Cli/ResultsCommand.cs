using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FocusFunctions.Core.Processing;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.Cli;

/// <summary><c>focus results</c>: lists the result rows, of one slide or all.</summary>
public static class ResultsCommand
{
    private const string Format = "{0,-40} {1,-13} {2,10} {3,-12} {4,-10} {5,-7} {6}";

    public static Command Create()
    {
        var connection = CliStorage.ConnectionOption();
        var slide = new Option<string?>("--slide", "-s") { Description = "Only this slide (the blob path's leading folder)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per line instead of a table." };
        var command = new Command("results", "List tile results from the results table.") { connection, slide, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            try
            {
                await using var services = CliStorage.Build(parseResult.GetValue(connection) ?? CliStorage.DefaultConnection, new Dictionary<string, string?>());
                var queries = services.GetRequiredService<SlideQueries>();
                var rows = parseResult.GetValue(slide) is { } id
                    ? await queries.RowsAsync(id, null, cancellationToken)
                    : await queries.AllRowsAsync(cancellationToken);
                Write(output, rows, parseResult.GetValue(json));
                return 0;
            }
            catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException or FormatException or Azure.RequestFailedException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"focus: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Write(TextWriter output, IEnumerable<FocusResultEntity> results, bool json)
    {
        if (!json)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "BLOB", "VERDICT", "DEFOCUS_UM", "INTERVAL_UM", "LOCATION", "STAGE", "NOTE"));
        }

        foreach (var r in results)
        {
            output.WriteLine(json
                ? JsonSerializer.Serialize(r, JsonSerializerOptions.Web)
                : string.Format(CultureInfo.InvariantCulture, Format, r.BlobName, r.Verdict,
                    r.DefocusMicrons?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-", FocusDecision.FormatInterval(r.DefocusLowMicrons, r.DefocusHighMicrons),
                    r.Location, r.Stage, string.Join(" ", new[] { r.Error, r.VerdictReason }.Where(n => n is not null))));
        }
    }
}
