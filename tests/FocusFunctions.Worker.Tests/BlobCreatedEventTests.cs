using System.Text;
using FocusFunctions.Worker;

namespace FocusFunctions.Worker.Tests;

public class BlobCreatedEventTests
{
    private const string EventGridSchema = """
        {"topic":"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
         "subject":"/blobServices/default/containers/tiles/blobs/slide-7/x001_y002.png",
         "eventType":"Microsoft.Storage.BlobCreated","id":"1","data":{"api":"PutBlob","url":"https://st.blob.core.windows.net/tiles/slide-7/x001_y002.png"},
         "dataVersion":"","metadataVersion":"1","eventTime":"2026-11-26T10:00:00Z"}
        """;

    [Fact]
    public void TryParse_EventGridSchema_ReturnsContainerAndBlob()
    {
        var parsed = BlobCreatedEvent.TryParse(EventGridSchema, out var reason);

        Assert.Null(reason);
        Assert.Equal(("tiles", "slide-7/x001_y002.png"), parsed);
    }

    [Fact]
    public void TryParseUpload_EventWithVersionAndSize_ReturnsBoth()
    {
        string withVersion = EventGridSchema.Replace("\"api\":\"PutBlob\"", "\"api\":\"PutBlob\",\"eTag\":\"0x8DC0FFEE\",\"contentLength\":524288",
            StringComparison.Ordinal);

        Assert.Equal(new BlobUpload("tiles", "slide-7/x001_y002.png", "0x8DC0FFEE", 524288), BlobCreatedEvent.TryParseUpload(withVersion, out _));
        Assert.Equal(new BlobUpload("tiles", "slide-7/x001_y002.png", null, null), BlobCreatedEvent.TryParseUpload(EventGridSchema, out _));
    }

    [Fact]
    public void TryParse_Base64EncodedMessage_IsDecodedFirst()
    {
        var parsed = BlobCreatedEvent.TryParse(Convert.ToBase64String(Encoding.UTF8.GetBytes(EventGridSchema)), out _);

        Assert.Equal(("tiles", "slide-7/x001_y002.png"), parsed);
    }

    [Fact]
    public void TryParse_CloudEventsSchema_ReturnsContainerAndBlob()
    {
        const string cloudEvent = """
            {"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","source":"/subscriptions/x","id":"2",
             "subject":"/blobServices/default/containers/tiles/blobs/a b/c#d.png","data":{"api":"PutBlockList"}}
            """;

        Assert.Equal(("tiles", "a b/c#d.png"), BlobCreatedEvent.TryParse(cloudEvent, out _));
    }

    [Fact]
    public void TryParse_ArrayOfOneEvent_IsAccepted()
    {
        Assert.NotNull(BlobCreatedEvent.TryParse("[" + EventGridSchema + "]", out _));
    }

    [Theory]
    [InlineData("not json at all %%%", "not JSON")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobDeleted","subject":"/blobServices/default/containers/tiles/blobs/a.png"}""", "Ignored event type")]
    [InlineData("""{"eventType":"Microsoft.Storage.BlobCreated","subject":"/something/else"}""", "subject")]
    [InlineData("""[{"eventType":"Microsoft.Storage.BlobCreated"},{"eventType":"Microsoft.Storage.BlobCreated"}]""", "exactly one")]
    public void TryParse_UnusableMessage_SaysWhy(string text, string expectedReason)
    {
        Assert.Null(BlobCreatedEvent.TryParse(text, out var reason));
        Assert.Contains(expectedReason, reason);
    }

    [Theory]
    [InlineData("/blobServices/default/containers/tiles/blobs/", null)]
    [InlineData("/blobServices/default/containers/tiles/x.png", null)]
    [InlineData("/blobServices/default/containers/rejected/blobs/s/x.png", "rejected")]
    public void ParseSubject_EdgeCases(string subject, string? expectedContainer)
    {
        Assert.Equal(expectedContainer, BlobCreatedEvent.ParseSubject(subject)?.Container);
    }

    [Theory]
    [InlineData("a/../y.png")]
    [InlineData("./y.png")]
    [InlineData("/y.png")]
    [InlineData("a//y.png")]
    public void TryParse_SubjectNameAClientWouldRewrite_RefusedWithTheSharedReason(string name)
    {
        string message = EventGridSchema.Replace("slide-7/x001_y002.png", name, StringComparison.Ordinal);

        var parsed = BlobCreatedEvent.TryParse(message, out var reason);

        Assert.Null(parsed);
        Assert.Equal(FocusFunctions.Core.Storage.BlobNames.Unaddressable(name), reason);
    }

    [Fact]
    public void TryParse_BackslashName_PassedOnForTheProcessorToQuarantine()
    {
        string message = EventGridSchema.Replace("slide-7/x001_y002.png", @"slide\\x.png", StringComparison.Ordinal);

        Assert.Equal(("tiles", @"slide\x.png"), BlobCreatedEvent.TryParse(message, out _));
    }
}
