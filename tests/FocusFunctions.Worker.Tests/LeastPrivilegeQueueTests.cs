using Azure.Storage;
using Azure.Storage.Queues;
using Azure.Storage.Sas;
using Microsoft.Extensions.Logging.Abstractions;

namespace FocusFunctions.Worker.Tests;

/// <summary>The worker runs with message rights only (infra grants no queue management): start-up must not need more.</summary>
[Collection(AzuriteCollection.Name)]
public class LeastPrivilegeQueueTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateIfMissing_WithMessageRightsOnly_StartsAndStillReceives()
    {
        var options = new WorkerOptions { QueueName = "tile-events-" + Guid.NewGuid().ToString("N")[..8] };
        var admin = new QueueServiceClient(azurite.ConnectionString);
        await admin.GetQueueClient(options.QueueName).CreateAsync();
        await admin.GetQueueClient(options.PoisonQueue).CreateAsync();
        await admin.GetQueueClient(options.QueueName).SendMessageAsync("not an event");
        // Messages only (read, add, update, process) on objects: creating a queue is refused with 403, as in Azure.
        var sas = admin.GenerateAccountSasUri(
            AccountSasPermissions.Read | AccountSasPermissions.Add | AccountSasPermissions.Update | AccountSasPermissions.Process,
            DateTimeOffset.UtcNow.AddHours(1), AccountSasResourceTypes.Object);
        var limited = new QueueServiceClient(sas);
        Assert.Equal(403, (await Assert.ThrowsAsync<Azure.RequestFailedException>(() => limited.GetQueueClient(options.QueueName).CreateIfNotExistsAsync())).Status);
        var queue = new TileQueue(limited, Microsoft.Extensions.Options.Options.Create(options), "tiles", TimeProvider.System, NullLogger<TileQueue>.Instance);

        await queue.CreateIfMissingAsync(CancellationToken.None);
        var batch = await queue.ReceiveBatchAsync(CancellationToken.None);

        Assert.Single(batch);
    }
}
