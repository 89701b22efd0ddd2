namespace FocusFunctions.TestSupport;

public static class RepositoryPaths
{
    /// <summary>The repository root: the first folder above the test binaries holding FocusFunctions.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shared, read-only folder beside the repository (../shared).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The shared JSON schemas (ARM deployment, azure.yaml) the infrastructure tests validate against.</summary>
    public static string Schemas => Path.Combine(Shared, "schemas");

    public static string Infra => Path.Combine(Root, "infra");

    /// <summary>A path under the repository root.</summary>
    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The shared, read-only open images (../shared/data/histology from the repository root).</summary>
    public static string Histology => Path.Combine(Root, "..", "shared", "data", "histology");

    /// <summary>The committed model folder and the shipped model under the contract.</summary>
    public static string Models => Path.Combine(Root, "models");

    public static string ShippedModel => Path.Combine(Models, "focus-model.onnx");

    /// <summary>
    /// The shipped graph plus the optional scale output of issue 25 (training/make_scale_fixture.py), with its card
    /// beside it: the model that can say Indeterminate.
    /// </summary>
    public static string ScaleFixtureModel => Path.Combine(Models, "fixtures", "scale-output", "focus-model.onnx");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FocusFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FocusFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
