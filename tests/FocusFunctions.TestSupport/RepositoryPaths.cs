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
    /// 1.1.0, the last model without the scale output (kept under models/previous with its card): what an engine
    /// that runs a point-only model does, and the graph the scale fixture was built from.
    /// </summary>
    public static string PointOnlyModel => Path.Combine(Models, "previous", "focus-model-1.1.0", "focus-model.onnx");

    /// <summary>
    /// 1.1.0's graph plus a scale output computed from the patch's pixel spread (training/make_scale_fixture.py), with
    /// its card beside it: not a model, a way to steer every Indeterminate branch in tests.
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
