using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;

namespace FocusFunctions.Core.Tests.Support;

/// <summary>
/// The fixture every storage test stands on: test assemblies run in parallel, each starting its own Azurite, so the
/// ports it picks can be taken before Azurite binds them. It must notice (Azurite exits with EADDRINUSE while the
/// taken port still accepts connections) and start again on other ports.
/// </summary>
public sealed class AzuriteFixtureTests
{
    [Fact]
    public async Task InitializeAsync_AChosenPortIsAlreadyTaken_StartsAgainOnNewPortsAndServesRequests()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int takenPort = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var choices = new List<(int Blob, int Queue, int Table)>();
        var azurite = new AzuriteFixture(() =>
        {
            var free = AzuriteFixture.FreePorts();
            choices.Add(choices.Count == 0 ? (free.Blob, free.Queue, takenPort) : free);   // first try: table port taken
            return choices[^1];
        });

        try
        {
            await azurite.InitializeAsync();

            Assert.Equal(2, choices.Count);
            Assert.Equal(choices[1], (azurite.BlobPort, azurite.QueuePort, azurite.TablePort));
            Assert.DoesNotContain(takenPort, new[] { azurite.BlobPort, azurite.QueuePort, azurite.TablePort });
            var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("fixture-check");
            await container.CreateAsync();
            Assert.True(await container.ExistsAsync());
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }
}
