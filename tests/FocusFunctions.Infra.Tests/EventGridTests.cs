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

    [Fact]
    public void QueueSubscription_WithGpu_DeadLettersUndeliverableEventsWithTheTopicIdentity()
    {
        var subscription = MainTemplate.Deploy(enableGpuWorker: true).Single("Microsoft.EventGrid/systemTopics/eventSubscriptions").Properties;

        Assert.Equal("SystemAssigned", subscription.At("deadLetterWithResourceIdentity.identity.type"));
        Assert.Equal("StorageBlob", subscription.At("deadLetterWithResourceIdentity.deadLetterDestination.endpointType"));
        Assert.Equal("event-deadletter", subscription.At("deadLetterWithResourceIdentity.deadLetterDestination.properties.blobContainerName"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeadLetterContainer_InEveryVariant_ExistsAndOnlyTheTopicCanWriteIt(bool enableGpuWorker)
    {
        var resources = MainTemplate.Deploy(enableGpuWorker);
        var containers = resources.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => ((string)c.Evaluate("name")!).Split('/')[^1]);
        var writer = resources.OfType("Microsoft.Authorization/roleAssignments")
            .Single(a => a.Module == resources.Single("Microsoft.EventGrid/systemTopics").Module
                && ((string)a.Properties.At("roleDefinitionId")!).EndsWith("ba92f5b4-2d11-453d-a403-e96b0029c9fe", StringComparison.Ordinal));

        Assert.Contains("event-deadletter", containers);
        Assert.Equal("SystemAssigned", ((IDictionary<string, object?>)resources.Single("Microsoft.EventGrid/systemTopics").Evaluate("identity")!)["type"]);
        // Scoped to the dead-letter container, not the account (the scope's account name is only known at deployment).
        string scope = writer.Definition["scope"]!.GetValue<string>();
        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers'", scope, StringComparison.Ordinal);
        Assert.EndsWith("parameters('deadLetterContainerName'))]", scope, StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", writer.Properties.At("principalType"));
    }

    [Fact]
    public void Outputs_Always_NameTheDeadLetterEndpointForTheWebhookSubscription()
    {
        Assert.True(MainTemplate.Json["outputs"]!.AsObject().ContainsKey("EVENT_DEADLETTER_ENDPOINT"));
    }
}
