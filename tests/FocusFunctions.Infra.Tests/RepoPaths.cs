namespace FocusFunctions.Infra.Tests;

/// <summary>Repository root (the folder holding FocusFunctions.sln) and the shared folder beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Schemas => Path.Combine(Shared, "schemas");

    public static string Infra => Path.Combine(Root, "infra");

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FocusFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FocusFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
