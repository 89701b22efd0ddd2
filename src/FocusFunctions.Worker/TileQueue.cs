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

    /// <summary>Receives up to MaxBatchTiles messages: waits for the first, then gathers more for at most MaxBatchWait.</summary>
    public async Task<List<LeasedMessage>> ReceiveBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new List<LeasedMessage>();
        var deadline = (DateTimeOffset?)null;
        while (batch.Count < _options.MaxBatchTiles)
        {
            int want = Math.Min(MaxMessagesPerReceive, _options.MaxBatchTiles - batch.Count);
            var received = await _queue.ReceiveMessagesAsync(want, _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
            foreach (var message in received.Value)
            {
                var parsed = BlobCreatedEvent.TryParse(message.MessageText ?? message.Body.ToString(), out var reason);
                if (parsed is { } p && p.Container != tilesContainer)
                {
                    (parsed, reason) = (null, $"The event is for container '{p.Container}', not '{tilesContainer}'.");
                }

                batch.Add(new LeasedMessage(message, parsed?.BlobName, reason));
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

    /// <summary>Renews the lease of every message at half its visibility timeout until <paramref name="stop"/> fires.</summary>
    public async Task KeepLeasesAsync(IReadOnlyList<LeasedMessage> messages, CancellationToken stop)
    {
        var period = _options.VisibilityTimeout / 2;
        try
        {
            while (true)
            {
                await Task.Delay(period, time, stop).ConfigureAwait(false);
                foreach (var message in messages)
                {
                    try
                    {
                        var receipt = await _queue.UpdateMessageAsync(message.Message.MessageId, message.PopReceipt,
                            visibilityTimeout: _options.VisibilityTimeout, cancellationToken: stop).ConfigureAwait(false);
                        message.PopReceipt = receipt.Value.PopReceipt;
                    }
                    catch (RequestFailedException ex) when (ex.Status is 404)
                    {
                        // Deleted meanwhile; nothing left to keep.
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

    public async Task DeleteAsync(LeasedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.DeleteMessageAsync(message.Message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404)
        {
            // Its lease lapsed and another reader holds it; that reader's work is idempotent.
            LogLeaseLost(logger, message.Message.MessageId);
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
        catch (RequestFailedException ex) when (ex.Status is 404)
        {
            LogLeaseLost(logger, message.Message.MessageId);
        }
    }

    /// <summary>Copies the message to the poison queue, then removes it from the work queue.</summary>
    public async Task PoisonAsync(LeasedMessage message, CancellationToken cancellationToken)
    {
        await _poison.SendMessageAsync(message.Message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "May not create queue {QueueName} ({ErrorCode}); it is expected to exist")]
    private static partial void LogMayNotCreateQueue(ILogger logger, string queueName, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease on message {MessageId}: {Reason}")]
    private static partial void LogRenewalFailed(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on message {MessageId}; another reader will finish it")]
    private static partial void LogLeaseLost(ILogger logger, string messageId);
}
