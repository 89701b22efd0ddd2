using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace FocusFunctions.Worker;

/// <summary>The tile-events queue: gathers batches, renews leases, deletes, releases and poisons messages.</summary>
public sealed partial class TileQueue(QueueServiceClient queues, IOptions<WorkerOptions> options, string tilesContainer,
    TimeProvider time, ILogger<TileQueue> logger)
{
    private const int MaxMessagesPerReceive = 32; // the service's limit
    private readonly WorkerOptions _options = options.Value;
    private readonly QueueClient _queue = queues.GetQueueClient(options.Value.QueueName);
    private readonly QueueClient _poison = queues.GetQueueClient(options.Value.PoisonQueue);

    public async Task CreateIfMissingAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in new[] { _queue, _poison })
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 403)
            {
                // In Azure the infrastructure creates both queues and the worker's identity may not manage queues
                // (Message Processor/Sender only): a missing queue shows as a failed receive or send instead.
                LogMayNotCreateQueue(logger, queue.Name, ex.ErrorCode);
            }
        }
    }

    /// <summary>
    /// Receives up to MaxBatchTiles messages, or fewer once their tiles hold MaxBatchBytes: waits for the first, then
    /// gathers more for at most MaxBatchWait. While redelivered messages are waiting (a crash or timeout left them
    /// unfinished), receives one message at a time: a crash then costs a delivery only to the message that caused it,
    /// so a tile that keeps crashing the process reaches the poison limit alone and its former batch-mates do not.
    /// </summary>
    public async Task<List<LeasedMessage>> ReceiveBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new List<LeasedMessage>();
        var deadline = (DateTimeOffset?)null;
        int limit = await RedeliveriesWaitingAsync(cancellationToken).ConfigureAwait(false) ? 1 : _options.MaxBatchTiles;
        long bytes = 0;
        while (batch.Count < limit && bytes < _options.MaxBatchBytes)
        {
            int want = Math.Min(MaxMessagesPerReceive, limit - batch.Count);
            var received = await _queue.ReceiveMessagesAsync(want, _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
            foreach (var message in received.Value)
            {
                var parsed = BlobCreatedEvent.TryParseUpload(message.MessageText ?? message.Body.ToString(), out var reason);
                if (parsed is { } p && p.Container != tilesContainer)
                {
                    (parsed, reason) = (null, $"The event is for container '{p.Container}', not '{tilesContainer}'.");
                }

                var leased = new LeasedMessage(message, parsed, reason);
                bytes += BatchBytes(leased);
                batch.Add(leased);
            }

            if (batch.Count == 0)
            {
                return batch;
            }

            deadline ??= time.GetUtcNow() + _options.MaxBatchWait;
            if (received.Value.Length == 0)
            {
                if (time.GetUtcNow() >= deadline)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
            }
            else if (time.GetUtcNow() >= deadline)
            {
                break;
            }
        }

        return batch;
    }

    /// <summary>What a message counts against MaxBatchBytes: its tile's size; the whole budget when the event does not say.</summary>
    public long BatchBytes(LeasedMessage message) => message.Upload switch
    {
        null => 0,
        { ContentLength: { } length } => length,
        _ => _options.MaxBatchBytes,
    };

    /// <summary>
    /// Whether a visible message was delivered before and will be scored again (peeking neither leases nor counts a
    /// delivery); one past the poison limit is only quarantined, which scores nothing, so it needs no isolation.
    /// </summary>
    private async Task<bool> RedeliveriesWaitingAsync(CancellationToken cancellationToken)
    {
        var peeked = await _queue.PeekMessagesAsync(MaxMessagesPerReceive, cancellationToken).ConfigureAwait(false);
        return peeked.Value.Any(m => m.DequeueCount > 0 && m.DequeueCount < _options.MaxDequeueCount);
    }

    /// <summary>Renews the lease of every message at half its visibility timeout until <paramref name="stop"/> fires.</summary>
    public async Task KeepLeasesAsync(IReadOnlyList<LeasedMessage> messages, CancellationToken stop)
    {
        var period = _options.VisibilityTimeout / 2;
        try
        {
            while (true)
            {
                await Task.Delay(period, time, stop).ConfigureAwait(false);
                // A finished message is being deleted (or left to reappear): renewing it would race the delete's receipt.
                foreach (var message in messages.Where(m => !m.Finished))
                {
                    try
                    {
                        var receipt = await _queue.UpdateMessageAsync(message.Message.MessageId, message.PopReceipt,
                            visibilityTimeout: _options.VisibilityTimeout, cancellationToken: stop).ConfigureAwait(false);
                        message.PopReceipt = receipt.Value.PopReceipt;
                    }
                    catch (RequestFailedException ex) when (IsLeaseLost(ex))
                    {
                        // Deleted meanwhile, or its lease lapsed and another reader holds it: nothing left to keep.
                    }
                    catch (Exception ex) when (!stop.IsCancellationRequested)
                    {
                        // One failed renewal must not end the others; this lease is tried again next round.
                        LogRenewalFailed(logger, message.Message.MessageId, ex.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deletes a finished message; false when its lease was lost (another reader holds it, and its work is idempotent).</summary>
    public async Task<bool> DeleteAsync(LeasedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.DeleteMessageAsync(message.Message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (IsLeaseLost(ex))
        {
            LogLeaseLost(logger, message.Message.MessageId);
            return false;
        }
    }

    /// <summary>Makes a message visible again at once, so another replica can take it (graceful shutdown).</summary>
    public async Task ReleaseAsync(LeasedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.UpdateMessageAsync(message.Message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsLeaseLost(ex))
        {
            LogLeaseLost(logger, message.Message.MessageId);
        }
    }

    /// <summary>
    /// Copies the message to the poison queue, then removes it from the work queue. When the lease turns out to be
    /// lost, the copy is withdrawn: the reader that holds the message now poisons it (or finishes it), so the poison
    /// queue gets one copy, not one per reader.
    /// </summary>
    public async Task PoisonAsync(LeasedMessage message, CancellationToken cancellationToken)
    {
        var copy = (await _poison.SendMessageAsync(message.Message.Body, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        if (!await DeleteAsync(message, cancellationToken).ConfigureAwait(false))
        {
            await _poison.DeleteMessageAsync(copy.MessageId, copy.PopReceipt, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>404: the message is gone; 400 PopReceiptMismatch: it was delivered again and our receipt is stale.</summary>
    private static bool IsLeaseLost(RequestFailedException exception) =>
        exception.Status == 404 || (exception.Status == 400 && exception.ErrorCode == "PopReceiptMismatch");

    [LoggerMessage(Level = LogLevel.Information, Message = "May not create queue {QueueName} ({ErrorCode}); it is expected to exist")]
    private static partial void LogMayNotCreateQueue(ILogger logger, string queueName, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease on message {MessageId}: {Reason}")]
    private static partial void LogRenewalFailed(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on message {MessageId}; another reader will finish it")]
    private static partial void LogLeaseLost(ILogger logger, string messageId);
}
