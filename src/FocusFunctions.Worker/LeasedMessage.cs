using Azure.Storage.Queues.Models;

namespace FocusFunctions.Worker;

/// <summary>A received queue message and its current pop receipt, which changes every time its lease is renewed.</summary>
public sealed class LeasedMessage(QueueMessage message, string? blobName, string? problem)
{
    private readonly Lock _gate = new();
    private string _popReceipt = message.PopReceipt;

    public QueueMessage Message { get; } = message;

    /// <summary>The tile the event is about; null when the message is not a usable BlobCreated event.</summary>
    public string? BlobName { get; } = blobName;

    /// <summary>Why the message cannot be used, when <see cref="BlobName"/> is null.</summary>
    public string? Problem { get; } = problem;

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
