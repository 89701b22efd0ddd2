using Azure.Identity;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class StorageConnectionTests
{
    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("usedevelopmentstorage = true;")]
    public void Resolve_UseDevelopmentStorage_AzuriteDefaultEndpoints(string value)
    {
        var connection = StorageConnection.Resolve(Configuration(("FocusStorage", value)), "FocusStorage");

        Assert.Equal(StorageConnection.Development(), connection.ConnectionString);
        Assert.Contains("BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1", connection.ConnectionString);
        Assert.Contains("TableEndpoint=http://127.0.0.1:10002/devstoreaccount1", connection.ConnectionString);
        Assert.Null(connection.Credential);
    }

    [Fact]
    public void Resolve_ConnectionString_UsedAsIs()
    {
        string value = StorageConnection.Development(41000, 41001, 41002);

        var connection = StorageConnection.Resolve(Configuration(("FocusStorage", value)), "FocusStorage");

        Assert.Equal(value, connection.ConnectionString);
    }

    [Fact]
    public void Resolve_UserAssignedManagedIdentity_ServiceUrisAndManagedIdentityCredential()
    {
        var connection = StorageConnection.Resolve(Configuration(
            ("FocusStorage:blobServiceUri", "https://acct.blob.core.windows.net"),
            ("FocusStorage:tableServiceUri", "https://acct.table.core.windows.net"),
            ("FocusStorage:queueServiceUri", "https://acct.queue.core.windows.net"),
            ("FocusStorage:credential", "managedidentity"),
            ("FocusStorage:clientId", "00000000-0000-0000-0000-000000000001")), "FocusStorage");

        Assert.Null(connection.ConnectionString);
        Assert.Equal(new Uri("https://acct.blob.core.windows.net"), connection.BlobServiceUri);
        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), connection.QueueServiceUri);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
    }

    [Fact]
    public void Resolve_AccountNameOnly_DerivesPublicCloudUrisAndDefaultCredential()
    {
        var connection = StorageConnection.Resolve(Configuration(("FocusStorage:accountName", "acct")), "FocusStorage");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), connection.QueueServiceUri);
        Assert.IsType<DefaultAzureCredential>(connection.Credential);
    }

    [Fact]
    public void Resolve_NothingConfigured_ThrowsNamingTheSettings()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.Resolve(Configuration(), "FocusStorage"));

        Assert.Contains("FocusStorage__blobServiceUri", error.Message);
        Assert.Contains("UseDevelopmentStorage=true", error.Message);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        // ':' is what '__' in environment variables and app settings becomes.
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
