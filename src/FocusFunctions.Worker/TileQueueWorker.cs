using FocusFunctions.Core.Processing;
using Microsoft.Extensions.Options;

namespace FocusFunctions.Worker;

/// <summary>
/// Reads BlobCreated events from the queue in batches and hands the tiles to the shared <see cref="TileProcessor"/>,
/// which scores all their patches in one model batch. A message is deleted only once its tile has a final result;
/// one that keeps failing goes to the poison queue and its tile to quarantine with a row saying why. On SIGTERM the
/// batch in flight gets <see cref="WorkerOptions.ShutdownGrace"/> to finish, else its messages are released at once.
/// </summary>
public sealed partial class TileQueueWorker(TileQueue queue, TileProcessor processor, WorkerMetrics metrics, IOptions<WorkerOptions> options,
    TimeProvider time, ILogger<TileQueueWorker> logger) : BackgroundService
{
    private readonly WorkerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await queue.CreateIfMissingAsync(stoppingToken).ConfigureAwait(false);
        LogStarted(logger, _options.QueueName, _options.MaxBatchTiles, _options.MaxBatchBytes);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await queue.ReceiveBatchAsync(stoppingToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    await Task.Delay(_options.IdlePollInterval, time, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await HandleBatchAsync(batch, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // Storage unreachable or similar: the messages come back after their lease; try again shortly.
                LogBatchFailed(logger, ex);
                await Task.Delay(_options.IdlePollInterval * 5, time, stoppingToken).ConfigureAwait(false);
            }
        }

        LogStopped(logger);
    }

    /// <summary>Processes one received batch to the end; public for tests that drive the worker step by step.</summary>
    public async Task HandleBatchAsync(IReadOnlyList<LeasedMessage> batch, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        foreach (var message in batch)
        {
            if (message.Message.InsertedOn is { } inserted)
            {
                metrics.QueueLatency(now - inserted);
            }
        }

        // Leases on the whole batch are renewed from the start until each message is finished: quarantining a poisoned
        // tile can take a while too, and so can the batches before a message's own.
        using var leases = new CancellationTokenSource();
        var keeper = queue.KeepLeasesAsync(batch, leases.Token);
        async Task StopRenewingAsync()
        {
            // Before a delete or release: a renewal racing it would change the pop receipt under it.
            await leases.CancelAsync().ConfigureAwait(false);
            await keeper.ConfigureAwait(false);
        }

        var work = new List<LeasedMessage>(batch.Count);
        try
        {
            foreach (var message in batch)
            {
                if (message.BlobName is null)
                {
                    LogUnusableMessage(logger, message.Message.MessageId, message.Problem);
                    message.Finished = true;
                    await DeleteQuietlyAsync(message).ConfigureAwait(false);
                    metrics.Tile("ignored", null);
                }
                else if (message.Message.DequeueCount > _options.MaxDequeueCount)
                {
                    await PoisonAsync(message, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    work.Add(message);
                }
            }

            // Redelivered messages were held when something went wrong: each is scored on its own, after the rest, so
            // that a tile that crashes the process cannot take its batch-mates down with it again.
            var chunks = BatchBudget.Split(work.Where(m => !m.IsRedelivery), queue.BatchBytes, _options.MaxBatchBytes, _options.MaxBatchTiles)
                .Concat(work.Where(m => m.IsRedelivery).Select(m => new List<LeasedMessage> { m }));
            foreach (var chunk in chunks)
            {
                if (!await ProcessAsync(chunk, stoppingToken).ConfigureAwait(false))
                {
                    // Shutting down: what is not finished goes back to the queue at once, for another replica.
                    await StopRenewingAsync().ConfigureAwait(false);
                    var unfinished = work.Where(m => !m.Finished).ToList();
                    LogReleasing(logger, unfinished.Count);
                    foreach (var message in unfinished)
                    {
                        await queue.ReleaseAsync(message, CancellationToken.None).ConfigureAwait(false);
                    }

                    break;
                }
            }
        }
        finally
        {
            await StopRenewingAsync().ConfigureAwait(false);
        }

        var elapsed = time.GetElapsedTime(started);
        metrics.Batch(batch.Count, elapsed);
        LogBatch(logger, batch.Count, work.Count, elapsed.TotalMilliseconds, batch.Count / Math.Max(elapsed.TotalSeconds, 1e-6));
    }

    /// <summary>Scores one batch of messages and deletes the finished ones; false when shutdown cut it short.</summary>
    private async Task<bool> ProcessAsync(List<LeasedMessage> work, CancellationToken stoppingToken)
    {
        // Duplicate events for one blob in a batch are scored once.
        var names = work.Select(m => m.BlobName!).Distinct(StringComparer.Ordinal).ToList();

        using var processing = new CancellationTokenSource();
        using var shutdown = stoppingToken.Register(() => processing.CancelAfter(_options.ShutdownGrace));

        IReadOnlyList<TileOutcome> outcomes;
        try
        {
            outcomes = await processor.ProcessBatchAsync(names, processing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (processing.IsCancellationRequested)
        {
            return false;
        }

        var byName = outcomes.ToDictionary(o => o.BlobName, StringComparer.Ordinal);
        foreach (var message in work)
        {
            var outcome = byName[message.BlobName!];
            metrics.Tile(outcome.Kind.ToString(), outcome.Verdict?.ToString());
            message.Finished = true;
            if (outcome.Kind == OutcomeKind.Failed)
            {
                // Left in the queue: it reappears when its lease ends and counts towards the poison limit.
                LogLeftForRetry(logger, message.BlobName!, outcome.Reason);
                continue;
            }

            await DeleteQuietlyAsync(message).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>A delete that fails leaves only its own message to reappear (its work is idempotent); the loop goes on.</summary>
    private async Task DeleteQuietlyAsync(LeasedMessage message)
    {
        try
        {
            await queue.DeleteAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogDeleteFailed(logger, message.Message.MessageId, ex);
        }
    }

    /// <summary>
    /// Moves a message that keeps failing to the poison queue and its tile to quarantine. A failure here only leaves
    /// this message for a later delivery; it never fails the rest of the batch.
    /// </summary>
    private async Task PoisonAsync(LeasedMessage message, CancellationToken stoppingToken)
    {
        message.Finished = true;
        try
        {
            string reason = $"Processing did not finish in {message.Message.DequeueCount - 1} deliveries (crash, timeout or storage failure); moved aside for inspection.";
            var outcome = await processor.QuarantineAsync(message.BlobName!, message.Upload!.ETag, reason, stoppingToken).ConfigureAwait(false);
            await queue.PoisonAsync(message, stoppingToken).ConfigureAwait(false);
            LogPoisoned(logger, message.BlobName!, message.Message.DequeueCount, outcome.Kind);
            metrics.Tile("poisoned", outcome.Verdict?.ToString());
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogPoisonFailed(logger, message.BlobName!, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete finished message {MessageId}; it reappears and is recognised as done")]
    private static partial void LogDeleteFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not quarantine poisoned {BlobName}; its message stays for a later delivery")]
    private static partial void LogPoisonFailed(ILogger logger, string blobName, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker reading queue {QueueName} in batches of up to {MaxBatchTiles} tiles and {MaxBatchBytes} bytes")]
    private static partial void LogStarted(ILogger logger, string queueName, int maxBatchTiles, long maxBatchBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Batch of {MessageCount} messages ({TileCount} tiles) done in {DurationMs:F0} ms, {TilesPerSecond:F1} tiles/s")]
    private static partial void LogBatch(ILogger logger, int messageCount, int tileCount, double durationMs, double tilesPerSecond);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring message {MessageId}: {Problem}")]
    private static partial void LogUnusableMessage(ILogger logger, string messageId, string? problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poisoned {BlobName} after {DequeueCount} deliveries: {OutcomeKind}")]
    private static partial void LogPoisoned(ILogger logger, string blobName, long dequeueCount, OutcomeKind outcomeKind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{BlobName} left for another delivery: {Reason}")]
    private static partial void LogLeftForRetry(ILogger logger, string blobName, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down mid-batch: releasing {MessageCount} messages for another replica")]
    private static partial void LogReleasing(ILogger logger, int messageCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch failed; its messages return after their lease")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);
}
