namespace FocusFunctions.Infra.Tests;

public class StorageTests
{
    private static readonly IDictionary<string, object?> Account =
        MainTemplate.Deploy(enableGpuWorker: false).Single("Microsoft.Storage/storageAccounts").Properties;

    [Fact]
    public void Account_Always_RefusesSharedKeyAccess() => Assert.Equal(false, Account.At("allowSharedKeyAccess"));

    [Fact]
    public void Account_Always_RefusesPublicBlobAccess() => Assert.Equal(false, Account.At("allowBlobPublicAccess"));

    [Fact]
    public void Account_Always_RequiresTls12OverHttps()
    {
        Assert.Equal("TLS1_2", Account.At("minimumTlsVersion"));
        Assert.Equal(true, Account.At("supportsHttpsTrafficOnly"));
    }

    [Fact]
    public void Account_Always_IsGeneralPurposeV2()
    {
        var account = MainTemplate.Deploy(enableGpuWorker: false).Single("Microsoft.Storage/storageAccounts");

        Assert.Equal("StorageV2", account.Evaluate("kind"));
    }

    [Fact]
    public void Containers_Always_IncludeTilesOutcomesAndDeploymentPackages()
    {
        var names = MainTemplate.Deploy(enableGpuWorker: false)
            .OfType("Microsoft.Storage/storageAccounts/blobServices/containers")
            .Select(c => ((string)c.Evaluate("name")!).Split('/')[^1])
            .ToList();

        Assert.Equal(["tiles", "rejected", "quarantine", "app-package", "event-deadletter", "azure-webjobs-hosts", "azure-webjobs-secrets"], names);
    }

    [Fact]
    public void TablesAndQueues_Always_IncludeResultsAndTileEvents()
    {
        var resources = MainTemplate.Deploy(enableGpuWorker: false);
        var lastSegment = (Arm.DeployedResource r) => ((string)r.Evaluate("name")!).Split('/')[^1];

        Assert.Equal(["FocusResults"], resources.OfType("Microsoft.Storage/storageAccounts/tableServices/tables").Select(lastSegment));
        Assert.Equal(
            ["tile-events", "tile-events-poison", "webjobs-blobtrigger-poison"],
            resources.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Select(lastSegment));
    }
}
