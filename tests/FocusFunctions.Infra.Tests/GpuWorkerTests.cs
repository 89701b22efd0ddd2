using FocusFunctions.Infra.Tests.Arm;

namespace FocusFunctions.Infra.Tests;

public class GpuWorkerTests
{
    private static readonly string[] GpuOnlyTypes =
    [
        "Microsoft.App/managedEnvironments",
        "Microsoft.App/containerApps",
        "Microsoft.ContainerRegistry/registries",
        "Microsoft.EventGrid/systemTopics/eventSubscriptions",
    ];

    private static readonly IReadOnlyList<DeployedResource> WithGpu = MainTemplate.Deploy(enableGpuWorker: true);

    private static DeployedResource App => WithGpu.Single("Microsoft.App/containerApps");

    [Fact]
    public void Deployment_WithoutGpu_CreatesNoGpuResources()
    {
        var types = MainTemplate.Deploy(enableGpuWorker: false).Select(r => r.Type).ToList();

        Assert.All(GpuOnlyTypes, t => Assert.DoesNotContain(t, types, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Deployment_WithGpu_CreatesEveryGpuResource()
    {
        Assert.All(GpuOnlyTypes, t => Assert.Single(WithGpu.OfType(t)));
    }

    [Fact]
    public void Module_InCompiledTemplate_IsConditionedOnEnableGpuWorker()
    {
        var module = MainTemplate.Json["resources"]!.AsArray()
            .Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == "gpuworker")!;

        Assert.Equal("[parameters('enableGpuWorker')]", module["condition"]!.GetValue<string>());
    }

    [Fact]
    public void Environment_ByDefault_HasAT4ServerlessGpuProfile()
    {
        var profiles = (IList<object?>)WithGpu.Single("Microsoft.App/managedEnvironments").Properties.At("workloadProfiles")!;
        var gpu = profiles.Cast<IDictionary<string, object?>>().Single(p => (string)p["workloadProfileType"]! != "Consumption");

        Assert.Equal("Consumption-GPU-NC8as-T4", gpu["workloadProfileType"]);
        Assert.Equal(gpu["name"], App.Properties.At("workloadProfileName"));
    }

    [Fact]
    public void Environment_WithA100_SizesTheReplicaForIt()
    {
        var resources = MainTemplate.Deploy(true, ("gpuProfileType", "Consumption-GPU-NC24-A100"));
        var profiles = (IList<object?>)resources.Single("Microsoft.App/managedEnvironments").Properties.At("workloadProfiles")!;
        var container = Container(resources.Single("Microsoft.App/containerApps"));

        Assert.Contains(profiles.Cast<IDictionary<string, object?>>(), p => Equals(p["workloadProfileType"], "Consumption-GPU-NC24-A100"));
        Assert.Equal(24L, ((IDictionary<string, object?>)container["resources"]!)["cpu"]);
    }

    [Fact]
    public void Environment_Always_SendsLogsWithoutASharedKey()
    {
        Assert.Equal("azure-monitor", WithGpu.Single("Microsoft.App/managedEnvironments").Properties.At("appLogsConfiguration.destination"));
        Assert.Single(WithGpu.OfType("Microsoft.Insights/diagnosticSettings"));
    }

    [Fact]
    public void App_Always_ScalesFromZeroOnTheQueueWithTheManagedIdentity()
    {
        var scale = (IDictionary<string, object?>)App.Properties.At("template.scale")!;
        var rule = (IDictionary<string, object?>)((IList<object?>)scale["rules"]!).Single()!;
        var queue = (IDictionary<string, object?>)rule["azureQueue"]!;

        Assert.Equal(0L, scale["minReplicas"]);
        Assert.Equal(4L, scale["maxReplicas"]);
        Assert.Equal("tile-events", queue["queueName"]);
        Assert.NotNull(queue["identity"]);
        Assert.NotNull(queue["accountName"]);
        Assert.False(rule.ContainsKey("auth"));
    }

    [Fact]
    public void App_Always_PullsFromTheRegistryByIdentity()
    {
        var registry = (IDictionary<string, object?>)((IList<object?>)App.Properties.At("configuration.registries")!).Single()!;

        Assert.NotNull(registry["identity"]);
        Assert.False(registry.ContainsKey("passwordSecretRef"));
        Assert.Equal(false, WithGpu.Single("Microsoft.ContainerRegistry/registries").Properties.At("adminUserEnabled"));
    }

    [Theory]
    [InlineData("Worker__QueueName", "tile-events")]
    [InlineData("Scoring__ExecutionProvider", "Cuda")]
    [InlineData("FocusStorage__credential", "managedidentity")]
    [InlineData("TILES_CONTAINER", "tiles")]
    public void App_Environment_HasWorkerSettings(string name, string value)
    {
        var env = ((IList<object?>)Container(App)["env"]!).Cast<IDictionary<string, object?>>()
            .ToDictionary(e => (string)e["name"]!, e => e["value"]);

        Assert.Equal(value, env[name]);
        Assert.Contains("FocusStorage__clientId", env.Keys);
        Assert.Contains("FocusStorage__queueServiceUri", env.Keys);
    }

    [Fact]
    public void App_Always_IsTaggedAsTheGpuWorkerService()
    {
        Assert.Equal("gpuworker", ((IDictionary<string, object?>)App.Evaluate("tags")!)["azd-service-name"]);
    }

    [Fact]
    public void Container_OnceTheWorkerImageIsDeployed_ProbesHealthAndReadiness()
    {
        var deployed = Container(MainTemplate.Deploy(true, ("gpuWorkerExists", true)).Single("Microsoft.App/containerApps"));
        var placeholder = Container(App);

        var probes = ((IList<object?>)deployed["probes"]!).Cast<IDictionary<string, object?>>()
            .ToDictionary(p => (string)p["type"]!, p => (string)((IDictionary<string, object?>)p["httpGet"]!)["path"]!);
        Assert.Equal("/healthz", probes["Liveness"]);
        Assert.Equal("/ready", probes["Readiness"]);
        Assert.Empty((IList<object?>)placeholder["probes"]!);
    }

    private static IDictionary<string, object?> Container(DeployedResource app) =>
        (IDictionary<string, object?>)((IList<object?>)app.Properties.At("template.containers")!).Single()!;
}
