using System.Net;
using Azure.Storage.Queues;
using FocusFunctions.Core.Inference;
using FocusFunctions.Worker.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.Worker.Tests;

/// <summary>The worker as deployed: its own Program wiring, a real queue on Azurite, health endpoints over HTTP.</summary>
[Collection(AzuriteCollection.Name)]
public class WorkerHostTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Host_EventsOnTheQueue_AreProcessedAndHealthIsReported()
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FocusStorage"] = azurite.ConnectionString,
            ["TILES_CONTAINER"] = $"tiles-{id}",
            ["Storage:RejectedContainer"] = $"rejected-{id}",
            ["Storage:QuarantineContainer"] = $"quarantine-{id}",
            ["Storage:ResultsTable"] = $"FocusResults{id}",
            ["Worker:QueueName"] = $"tile-events-{id}",
            ["Worker:MaxBatchWait"] = "00:00:00.200",
            ["Worker:IdlePollInterval"] = "00:00:00.050",
            ["Scoring:ModelPath"] = TestStorage.RealModelPath,
            // No GPU here: asking for CUDA must fall back to the CPU with one log line.
            ["Scoring:ExecutionProvider"] = "Cuda",
        });
        if (!File.Exists(TestStorage.RealModelPath))
        {
            builder.Services.AddSingleton<IFocusModel, LaplacianFocusModel>();
        }

        builder.AddWorkerServices();
        await using var app = builder.Build();
        app.MapWorkerHealth();
        await app.StartAsync();
        try
        {
            var blobs = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString);
            var tiles = blobs.GetBlobContainerClient($"tiles-{id}");
            await tiles.CreateIfNotExistsAsync();
            await tiles.GetBlobClient("slide-h/x000_y000.png").UploadAsync(BinaryData.FromBytes(TestTiles.Defocused));
            var queue = new QueueClient(azurite.ConnectionString, $"tile-events-{id}");
            await queue.CreateIfNotExistsAsync();
            string subject = $"/blobServices/default/containers/tiles-{id}/blobs/slide-h/x000_y000.png";
            await queue.SendMessageAsync("{\"subject\":\"" + subject + "\",\"eventType\":\"Microsoft.Storage.BlobCreated\",\"id\":\"1\",\"data\":{}}");

            var rejected = blobs.GetBlobContainerClient($"rejected-{id}");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            // A move is a copy, then a delete of the source: wait for both, not only for the copy to appear.
            while ((!await rejected.GetBlobClient("slide-h/x000_y000.png").ExistsAsync()
                    || await tiles.GetBlobClient("slide-h/x000_y000.png").ExistsAsync())
                   && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(await rejected.GetBlobClient("slide-h/x000_y000.png").ExistsAsync(), "The worker did not move the defocused tile.");
            Assert.False(await tiles.GetBlobClient("slide-h/x000_y000.png").ExistsAsync());

            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            var ready = await http.GetAsync("/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
