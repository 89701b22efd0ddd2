using Azure.Data.Tables;
using Azure.Storage.Blobs;
using FocusFunctions.Core.Storage;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// Scores tiles in the tiles container, records one result row per tile and moves out-of-focus tiles to rejected and
/// unreadable ones to quarantine. Deliveries repeat and race (Event Grid has no blob receipts), so every step is
/// guarded: the row carries a small state machine (<see cref="TileStage"/>) and every row write and blob move is
/// conditional on the ETags read before it; when a condition fails the tile's state is read again and the next step
/// decided afresh. The Function, the GPU worker and the CLI all call this class.
/// </summary>
public sealed partial class TileProcessor
{
    private readonly BlobContainerClient _tiles;
    private readonly BlobContainerClient _rejected;
    private readonly BlobContainerClient _quarantine;
    private readonly TableClient _results;
    private readonly TileScorer _scorer;
    private readonly CopySourceAuthorization _copyAuthorization;
    private readonly TileKeyResolver _keys;
    private readonly ProcessingOptions _options;
    private readonly IProcessingFaults _faults;
    private readonly TimeProvider _time;
    private readonly ILogger<TileProcessor> _logger;

    public TileProcessor(BlobServiceClient blobs, TableClient results, TileScorer scorer, CopySourceAuthorization copyAuthorization,
        IOptions<StorageOptions> storageOptions, IOptions<ProcessingOptions> processingOptions, IProcessingFaults faults,
        TimeProvider timeProvider, ILogger<TileProcessor> logger)
    {
        var storage = storageOptions.Value;
        _tiles = blobs.GetBlobContainerClient(storage.TilesContainer);
        _rejected = blobs.GetBlobContainerClient(storage.RejectedContainer);
        _quarantine = blobs.GetBlobContainerClient(storage.QuarantineContainer);
        _results = results;
        _scorer = scorer;
        _copyAuthorization = copyAuthorization;
        _keys = new TileKeyResolver(storage);
        _options = processingOptions.Value;
        _faults = faults;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>Brings one blob of the tiles container to its final state. Throws only when storage keeps failing.</summary>
    public Task<TileOutcome> ProcessAsync(string blobName, CancellationToken cancellationToken) =>
        WithRetriesAsync(blobName, token => ProcessOnceAsync(blobName, token), cancellationToken);

    /// <summary>
    /// Processes many blobs: downloads and prepares them in parallel (bounded), scores all their patches with one
    /// model call, then records and moves each. A tile that needs more than the straight path (a duplicate, an
    /// interrupted move, a race) goes through <see cref="ProcessAsync"/>. Never throws for one tile's failure: that
    /// tile's outcome is <see cref="OutcomeKind.Failed"/> and it stays pending for the next run.
    /// </summary>
    public async Task<IReadOnlyList<TileOutcome>> ProcessBatchAsync(IReadOnlyList<string> blobNames, CancellationToken cancellationToken)
    {
        var pending = new PendingTile?[blobNames.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.DownloadParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, blobNames.Count), parallel, async (i, token) =>
        {
            try
            {
                var state = await ObserveAsync(blobNames[i], token).ConfigureAwait(false);
                if (NeedsScoring(state))
                {
                    pending[i] = await DownloadAndPrepareAsync(state, token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                // Left for the single-tile path below, which retries transient failures with back-off and reports
                // any other failure as this tile's outcome, without failing the rest of the batch.
                LogBatchFallback(_logger, blobNames[i], ex.Message);
            }
        }).ConfigureAwait(false);

        ScoredTile?[] scored;
        try
        {
            scored = ScoreTogether(pending);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // One model call for the whole batch failed: score each tile on its own below, so that a failure stays
            // with the tile that causes it.
            LogBatchFallback(_logger, $"{blobNames.Count} tiles", ex.Message);
            scored = new ScoredTile?[blobNames.Count];
        }
        var outcomes = new TileOutcome[blobNames.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, blobNames.Count), parallel, async (i, token) =>
        {
            try
            {
                TileOutcome? outcome = null;
                if (scored[i] is { } tile)
                {
                    outcome = await TryRecordAndMoveAsync(tile, token).ConfigureAwait(false);
                }

                outcomes[i] = outcome ?? await ProcessAsync(blobNames[i], token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                LogTileFailed(_logger, blobNames[i], ex);
                outcomes[i] = new TileOutcome(blobNames[i], OutcomeKind.Failed, null, null, null, ex.Message);
            }
        }).ConfigureAwait(false);

        return outcomes;
    }

    private async Task<TileOutcome> ProcessOnceAsync(string blobName, CancellationToken cancellationToken)
    {
        for (int round = 1; round <= _options.MaxConflictRetries; round++)
        {
            var state = await ObserveAsync(blobName, cancellationToken).ConfigureAwait(false);
            var outcome = await AdvanceAsync(state, cancellationToken).ConfigureAwait(false);
            if (outcome is not null)
            {
                return outcome;
            }

            LogStateChanged(_logger, blobName, round);
        }

        throw new InvalidOperationException(
            $"The state of '{blobName}' kept changing under concurrent writers for {_options.MaxConflictRetries} rounds; giving up this delivery.");
    }

    /// <summary>Takes the next step for a tile; null when a concurrent change was detected and the state must be re-read.</summary>
    private async Task<TileOutcome?> AdvanceAsync(TileState state, CancellationToken cancellationToken)
    {
        var row = state.Row;
        if (state.Blob is null)
        {
            if (row is null)
            {
                return new TileOutcome(state.BlobName, OutcomeKind.Skipped, null, null, null, "The blob does not exist in the tiles container.");
            }

            // Gone from tiles but the row is not final: a move that was cut short after the copy (or the delete).
            return row.StageValue == TileStage.Done
                ? Final(row, OutcomeKind.Duplicate, "Already processed; the blob has left the tiles container.")
                : await MoveAsync(row, resumed: true, cancellationToken).ConfigureAwait(false);
        }

        if (row is not null && row.SourceETag == state.Blob.ETag.ToString())
        {
            return row.StageValue == TileStage.Done
                ? Final(row, OutcomeKind.Duplicate, "This version of the blob already has a final result.")
                : await MoveAsync(row, resumed: true, cancellationToken).ConfigureAwait(false);
        }

        var pending = await DownloadAndPrepareAsync(state, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return null;
        }

        var tile = ScoreTogether([pending])[0]!;
        return await RecordAndMoveAsync(tile, cancellationToken).ConfigureAwait(false);
    }

    private static bool NeedsScoring(TileState state) =>
        state.Blob is not null && (state.Row is null || state.Row.SourceETag != state.Blob.ETag.ToString());

    private static TileOutcome Final(FocusResultEntity row, OutcomeKind kind, string? reason = null) =>
        new(row.BlobName, kind, row.VerdictValue, row.LocationValue, row.DefocusMicrons, reason);

    private async Task<TileOutcome?> TryRecordAndMoveAsync(ScoredTile tile, CancellationToken cancellationToken)
    {
        try
        {
            return await RecordAndMoveAsync(tile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TransientFailures.IsTransient(ex, cancellationToken))
        {
            LogBatchFallback(_logger, tile.State.BlobName, ex.Message);
            return null;
        }
    }

    private async Task<TileOutcome> WithRetriesAsync(string blobName, Func<CancellationToken, Task<TileOutcome>> step, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await step(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < _options.MaxAttempts && TransientFailures.IsTransient(ex, cancellationToken))
            {
                // Exponential back-off with jitter, so that parallel deliveries that failed together do not retry together.
                var delay = _options.RetryDelay * (Math.Pow(2, attempt - 1) * (0.8 + 0.4 * Random.Shared.NextDouble()));
                LogTransientFailure(_logger, blobName, attempt, (long)delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
