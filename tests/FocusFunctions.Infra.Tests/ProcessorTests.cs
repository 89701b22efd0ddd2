using FocusFunctions.Infra.Tests.Arm;

namespace FocusFunctions.Infra.Tests;

public class ProcessorTests
{
    private static readonly IReadOnlyList<DeployedResource> Resources = MainTemplate.Deploy(enableGpuWorker: false);

    private static DeployedResource Site => Resources.Single("Microsoft.Web/sites");

    private static IDictionary<string, object?> Settings => Resources.SiteConfig("appsettings")!.Properties;

    [Fact]
    public void Plan_Always_IsFlexConsumptionFc1()
    {
        var plan = Resources.Single("Microsoft.Web/serverfarms");
        var sku = (IDictionary<string, object?>)plan.Evaluate("sku")!;

        Assert.Equal("FC1", sku["name"]);
        Assert.Equal("FlexConsumption", sku["tier"]);
        Assert.Equal(true, plan.Properties.At("reserved"));
    }

    [Fact]
    public void Site_Always_RunsDotnetIsolated10OnLinux()
    {
        Assert.Equal("functionapp,linux", Site.Evaluate("kind"));
        Assert.Equal("dotnet-isolated", Site.Properties.At("functionAppConfig.runtime.name"));
        Assert.Equal("10.0", Site.Properties.At("functionAppConfig.runtime.version"));
    }

    [Fact]
    public void Site_Always_PullsPackagesWithItsUserAssignedIdentity()
    {
        Assert.Equal("blobContainer", Site.Properties.At("functionAppConfig.deployment.storage.type"));
        Assert.Equal("UserAssignedIdentity", Site.Properties.At("functionAppConfig.deployment.storage.authentication.type"));
        Assert.Equal("UserAssigned", ((IDictionary<string, object?>)Site.Evaluate("identity")!)["type"]);
    }

    [Fact]
    public void Site_ByDefault_Has2048MbInstances()
    {
        Assert.Equal(2048L, Site.Properties.At("functionAppConfig.scaleAndConcurrency.instanceMemoryMB"));
    }

    [Fact]
    public void Site_Always_IsTaggedAsTheProcessorService()
    {
        var tags = (IDictionary<string, object?>)Site.Evaluate("tags")!;

        Assert.Equal("processor", tags["azd-service-name"]);
        Assert.Equal("test", tags["azd-env-name"]);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("FocusStorage")]
    public void Settings_StorageConnections_UseTheManagedIdentity(string connection)
    {
        Assert.Equal("managedidentity", Settings[$"{connection}__credential"]);
        // The host keeps no diagnostics tables: its identity holds a table role on FocusResults only.
        var suffixes = connection == "FocusStorage"
            ? new[] { "clientId", "blobServiceUri", "queueServiceUri", "tableServiceUri" }
            : new[] { "clientId", "blobServiceUri", "queueServiceUri" };
        Assert.Equal(connection == "FocusStorage", Settings.ContainsKey($"{connection}__tableServiceUri"));
        foreach (var suffix in suffixes)
        {
            Assert.True(Settings.ContainsKey($"{connection}__{suffix}"), $"Missing {connection}__{suffix}.");
        }

        Assert.DoesNotContain(Settings.Keys, k => k.Equals(connection, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("TILES_CONTAINER", "tiles")]
    [InlineData("Storage__RejectedContainer", "rejected")]
    [InlineData("Storage__QuarantineContainer", "quarantine")]
    [InlineData("Storage__ResultsTable", "FocusResults")]
    [InlineData("Scoring__RejectAboveMicrons", "2.0")]
    public void Settings_AppOptions_HaveTheirValues(string name, string expected)
    {
        Assert.Equal(expected, Settings[name]);
    }

    [Fact]
    public void Settings_RejectThreshold_FollowsTheParameter()
    {
        var settings = MainTemplate.Deploy(false, ("rejectAboveMicrons", "1.5")).SiteConfig("appsettings")!.Properties;

        Assert.Equal("1.5", settings["Scoring__RejectAboveMicrons"]);
    }

    [Fact]
    public void Settings_ApplicationInsights_AuthenticatesWithEntra()
    {
        var raw = Resources.SiteConfig("appsettings")!.Definition["properties"]!;

        Assert.True(Settings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING"));
        var authentication = raw["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.GetValue<string>();
        Assert.Contains("ClientId={0};Authorization=AAD", authentication, StringComparison.Ordinal);
        Assert.Contains("identityClientId", authentication, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    public void Settings_FlexConsumption_OmitsSettingsTheHostingPlanRejects(string name)
    {
        Assert.False(Settings.ContainsKey(name));
    }
}
