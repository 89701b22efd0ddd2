namespace FocusFunctions.Infra.Tests;

public class EventGridTests
{
    public static readonly string[] UploadApis = ["PutBlob", "PutBlockList", "FlushWithClose", "CopyBlob"];

    [Fact]
    public void SystemTopic_Always_ListensToTheStorageAccount()
    {
        var topic = MainTemplate.Deploy(enableGpuWorker: false).Single("Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Properties.At("topicType"));
    }

    [Fact]
    public void QueueSubscription_WithGpu_DeliversUploadsToTileEventsWithTheTopicIdentity()
    {
        var resources = MainTemplate.Deploy(enableGpuWorker: true);
        var subscription = resources.Single("Microsoft.EventGrid/systemTopics/eventSubscriptions").Properties;

        Assert.Equal("SystemAssigned", subscription.At("deliveryWithResourceIdentity.identity.type"));
        Assert.Equal("StorageQueue", subscription.At("deliveryWithResourceIdentity.destination.endpointType"));
        Assert.Equal("tile-events", subscription.At("deliveryWithResourceIdentity.destination.properties.queueName"));
        Assert.Equal(
            "SystemAssigned",
            ((IDictionary<string, object?>)resources.Single("Microsoft.EventGrid/systemTopics").Evaluate("identity")!)["type"]);
    }

    [Fact]
    public void QueueSubscription_WithGpu_FiltersToCompletedUploadsInTiles()
    {
        var filter = (IDictionary<string, object?>)MainTemplate.Deploy(enableGpuWorker: true)
            .Single("Microsoft.EventGrid/systemTopics/eventSubscriptions").Properties.At("filter")!;
        var advanced = (IDictionary<string, object?>)((IList<object?>)filter["advancedFilters"]!).Single()!;

        Assert.Equal(["Microsoft.Storage.BlobCreated"], (IList<object?>)filter["includedEventTypes"]!);
        Assert.Equal("/blobServices/default/containers/tiles/", filter["subjectBeginsWith"]);
        Assert.Equal("data.api", advanced["key"]);
        Assert.Equal("StringIn", advanced["operatorType"]);
        Assert.Equal(UploadApis, ((IList<object?>)advanced["values"]!).Cast<string>());
    }
}
