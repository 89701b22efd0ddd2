using System.CommandLine;
using FocusFunctions.Cli;

var root = new RootCommand("focus: measure the defocus of brightfield microscope tiles in micrometres.");
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(ProcessCommand.Create());
root.Subcommands.Add(ResultsCommand.Create());
root.Subcommands.Add(UploadCommand.Create());
root.Subcommands.Add(ListCommand.Create());
return await root.Parse(args).InvokeAsync();
