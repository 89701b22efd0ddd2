namespace FocusFunctions.Cli.Tests;

public static class CliPaths
{
    public static string Root { get; } = FindRoot();

    public static string Histology => Path.Combine(Root, "..", "shared", "data", "histology");

    public static string Model => Path.Combine(Root, "models", "focus-model.onnx");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FocusFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FocusFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
