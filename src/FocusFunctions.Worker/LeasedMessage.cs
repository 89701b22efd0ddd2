using Azure.Storage.Queues.Models;

namespace FocusFunctions.Worker;

/// <summary>A received queue message and its current pop receipt, which changes every time its lease is renewed.</summary>
public sealed class LeasedMessage(QueueMessage message, BlobUpload? upload, string? problem)
{
    private readonly Lock _gate = new();
    private string _popReceipt = message.PopReceipt;

    public QueueMessage Message { get; } = message;

    /// <summary>The upload the event reports; null when the message is not a usable BlobCreated event.</summary>
    public BlobUpload? Upload { get; } = upload;

    /// <summary>The tile the event is about; null when the message is not a usable BlobCreated event.</summary>
    public string? BlobName => Upload?.BlobName;

    /// <summary>Delivered before without being finished: a crash, a timeout or a release happened while it was held.</summary>
    public bool IsRedelivery => Message.DequeueCount > 1;

    /// <summary>Why the message cannot be used, when <see cref="BlobName"/> is null.</summary>
    public string? Problem { get; } = problem;

    /// <summary>Its batch has run (deleted, or left to reappear); a shutdown releases only the messages not yet run.</summary>
    public bool Finished { get; set; }

    public string PopReceipt
    {
        get
        {
            lock (_gate)
            {
                return _popReceipt;
            }
        }

        set
        {
            lock (_gate)
            {
                _popReceipt = value;
            }
        }
    }
}
