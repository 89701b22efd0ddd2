using System.CommandLine;

namespace FocusFunctions.Cli.Tests;

/// <summary>Runs one command in-process under a root command, capturing its output and error streams.</summary>
internal static class CommandInvoker
{
    public static (int Exit, string Output, string Errors) Invoke(Command command, string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(command);
        var output = new StringWriter();
        var errors = new StringWriter();
        int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }
}
