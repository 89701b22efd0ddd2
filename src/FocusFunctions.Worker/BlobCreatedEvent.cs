using System.Text;
using System.Text.Json;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Worker;

/// <summary>
/// Reads the blob name out of an Event Grid BlobCreated event as a storage-queue destination delivers it: the event
/// JSON (Event Grid or CloudEvents schema), as plain text or base64, one event or an array of one.
/// </summary>
public static class BlobCreatedEvent
{
    private const string BlobCreated = "Microsoft.Storage.BlobCreated";

    /// <summary>The container and blob name, or null with the reason the message is not a usable BlobCreated event.</summary>
    public static (string Container, string BlobName)? TryParse(string messageText, out string? reason) =>
        TryParseUpload(messageText, out reason) is { } upload ? (upload.Container, upload.BlobName) : null;

    /// <summary>The upload an event reports (with the version's ETag and size when the event carries them), or null with the reason.</summary>
    public static BlobUpload? TryParseUpload(string messageText, out string? reason)
    {
        reason = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(LooksLikeJson(messageText) ? messageText : DecodeBase64(messageText));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            reason = "The message is not JSON (nor base64 JSON).";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                if (root.GetArrayLength() != 1)
                {
                    reason = "Expected exactly one event per message.";
                    return null;
                }

                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "The event is not a JSON object.";
                return null;
            }

            string? type = Text(root, "eventType") ?? Text(root, "type");
            if (type != BlobCreated)
            {
                reason = $"Ignored event type '{type}'.";
                return null;
            }

            if (ParseSubject(Text(root, "subject")) is not var (container, blobName))
            {
                reason = "The event subject is not /blobServices/default/containers/{container}/blobs/{name}.";
                return null;
            }

            var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
            long? length = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("contentLength", out var l) && l.TryGetInt64(out long n) && n >= 0
                ? n
                : null;
            // The same rule as every other host: a name a client would resolve to another blob is not acted on (other
            // refused names reach the processor, which quarantines them with a row).
            reason = BlobNames.Unaddressable(blobName);
            return reason is null ? new BlobUpload(container, blobName, data.ValueKind == JsonValueKind.Object ? Text(data, "eTag") : null, length) : null;
        }
    }

    /// <summary>Event Grid subjects name the blob as /blobServices/default/containers/{container}/blobs/{name}.</summary>
    public static (string Container, string BlobName)? ParseSubject(string? subject)
    {
        const string prefix = "/blobServices/default/containers/";
        if (subject is null || !subject.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = subject[prefix.Length..];
        int marker = rest.IndexOf("/blobs/", StringComparison.Ordinal);
        if (marker <= 0 || marker + 7 >= rest.Length)
        {
            return null;
        }

        return (rest[..marker], rest[(marker + 7)..]);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '[');
    }

    private static string DecodeBase64(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text.Trim()));
}

/// <summary>A BlobCreated event's blob: the version's ETag and size are null when the event does not carry them.</summary>
public sealed record BlobUpload(string Container, string BlobName, string? ETag, long? ContentLength);
