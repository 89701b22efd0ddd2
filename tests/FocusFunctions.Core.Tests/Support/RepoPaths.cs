namespace FocusFunctions.Core.Tests.Support;

/// <summary>Finds the repository root (the folder holding FocusFunctions.sln) and ../shared beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Histology => Path.Combine(Shared, "data", "histology");

    public static string Models => Path.Combine(Root, "models");

    public static string ShippedModel => Path.Combine(Models, "focus-model.onnx");

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
