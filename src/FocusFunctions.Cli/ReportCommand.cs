using System.CommandLine;
using FocusFunctions.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.Cli;

/// <summary>
/// <c>focus report</c>: the slide's QC page as one HTML file, from tiles scored here (<c>focus report scans/ -o r.html</c>)
/// or from the results table (<c>focus report --slide slide-7 -o r.html</c>), thumbnails read from where each tile now is.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var inputs = new ScoringInputs(ArgumentArity.ZeroOrMore);
        var output = new Option<string>("--output", "-o") { Description = "The HTML file to write.", Required = true };
        var slide = new Option<string?>("--slide", "-s") { Description = "Report this slide from the results table instead of scoring files." };
        var connection = CliStorage.ConnectionOption();
        var command = new Command("report", "Write a slide's focus QC page: one self-contained HTML file.") { output, slide, connection };
        inputs.AddTo(command);
        command.Validators.Add(result =>
        {
            bool hasPaths = result.GetValue(inputs.Paths) is { Length: > 0 }, hasSlide = result.GetValue(slide) is not null;
            if (hasPaths == hasSlide)
            {
                result.AddError("Give tile files or folders to score, or --slide to report a slide from storage (one of the two).");
            }
        });

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var invocation = parseResult.InvocationConfiguration;
            string path = parseResult.GetValue(output)!;
            if (parseResult.GetValue(slide) is not { } slideId)
            {
                return ScoreRunner.Run(inputs.Read(parseResult, OutputFormat.Table, mapPath: null, reportPath: path), invocation.Output, invocation.Error, cancellationToken);
            }

            return await CliStorage.GuardAsync(invocation.Error, async () =>
            {
                await using var services = CliStorage.Build(parseResult.GetValue(connection) ?? CliStorage.DefaultConnection, new Dictionary<string, string?>());
                var report = await services.GetRequiredService<SlideReportLoader>().LoadAsync(slideId, cancellationToken);
                if (report is null)
                {
                    invocation.Error.WriteLine($"focus: no results for slide '{slideId}'.");
                    return 1;
                }

                return LocalReport.Write(path, report, invocation.Error) ? 0 : 1;
            });
        });
        return command;
    }
}
