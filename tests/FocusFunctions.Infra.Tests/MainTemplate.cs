using FocusFunctions.Infra.Tests.Arm;

namespace FocusFunctions.Infra.Tests;

/// <summary>infra/main.bicep, compiled and linted once per test run and shared by every test class.</summary>
public static class MainTemplate
{
    public static string BicepFile => Path.Combine(RepositoryPaths.Infra, "main.bicep");

    private static readonly Lazy<BicepResult> BuildResult = new(() => BicepCli.Run("build", BicepFile, "--stdout"));

    private static readonly Lazy<BicepResult> LintResult = new(() => BicepCli.Run("lint", BicepFile));

    private static readonly Lazy<JsonObject> Compiled = new(() =>
    {
        var build = Build;
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed:\n{build.Stderr}");
        }

        return JsonNode.Parse(build.Stdout)!.AsObject();
    });

    public const string TestAuthClientId = "0d2c3b4a-1111-4222-8333-944455556666";

    public static BicepResult Build => BuildResult.Value;

    public static BicepResult Lint => LintResult.Value;

    /// <summary>The ARM JSON; tests get a fresh copy so none can disturb another.</summary>
    public static JsonObject Json => Compiled.Value.DeepClone().AsObject();

    public static string Text => Build.Stdout;

    /// <summary>Resources an azd deployment would create with these parameters (plus the required ones).</summary>
    public static IReadOnlyList<DeployedResource> Deploy(bool enableGpuWorker, params (string Name, object? Value)[] more)
    {
        var parameters = new Dictionary<string, object?>
        {
            ["environmentName"] = "test",
            ["location"] = "swedencentral",
            ["enableGpuWorker"] = enableGpuWorker,
            // Sign-in is on by default and needs an app registration's client id (an id, not a secret).
            ["authClientId"] = TestAuthClientId,
        };
        foreach (var (name, value) in more)
        {
            parameters[name] = value;
        }

        return ArmDeployment.Resources(Json, parameters);
    }
}
