using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace FocusFunctions.Infra.Tests;

/// <summary>
/// Runs the Bicep compiler restored from the Azure.Bicep.CommandLine.linux-x64 package.
/// The project file writes the package's tools/bicep path into an assembly attribute; when that
/// is missing (an IDE build without restore) the default NuGet folder is tried.
/// </summary>
public static partial class BicepCli
{
    private const string PackageVersion = "0.49.2";

    public static string Path { get; } = Locate();

    public static BicepResult Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} took over 90 s.");
        }

        return new BicepResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Locate()
    {
        var fromBuild = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPath")?.Value;
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var fallback = System.IO.Path.Combine(home, "azure.bicep.commandline.linux-x64", PackageVersion, "tools", "bicep");

        var path = new[] { fromBuild, fallback }.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p))
            ?? throw new FileNotFoundException(
                $"The Bicep compiler is not restored (looked at '{fromBuild}' and '{fallback}'). Run dotnet restore.");

        // NuGet extraction does not always keep the execute bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }
        }

        return path;
    }

    [GeneratedRegex(@"^.*: (Error|Warning) [^:]+:.*$", RegexOptions.Multiline)]
    internal static partial Regex Diagnostic();
}

public sealed record BicepResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Every error or warning line the compiler or linter printed.</summary>
    public IReadOnlyList<string> Diagnostics =>
        BicepCli.Diagnostic().Matches(Stdout + "\n" + Stderr).Select(m => m.Value.Trim()).ToList();
}
