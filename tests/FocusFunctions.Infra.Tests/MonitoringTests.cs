namespace FocusFunctions.Infra.Tests;

public class MonitoringTests
{
    [Fact]
    public void ApplicationInsights_Always_DisablesLocalAuth()
    {
        var insights = MainTemplate.Deploy(enableGpuWorker: false).Single("Microsoft.Insights/components");

        Assert.Equal(true, insights.Properties.At("DisableLocalAuth"));
    }

    [Fact]
    public void ApplicationInsights_Always_SendsToTheLogAnalyticsWorkspace()
    {
        var resources = MainTemplate.Deploy(enableGpuWorker: false);

        Assert.Single(resources.OfType("Microsoft.OperationalInsights/workspaces"));
        Assert.NotNull(resources.Single("Microsoft.Insights/components").Properties.At("WorkspaceResourceId"));
    }
}
