using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// Scores tiles in the tiles container, records one result row per tile and moves out-of-focus tiles to rejected and
/// unreadable ones to quarantine. Deliveries repeat and race (Event Grid has no blob receipts), so every step is
/// guarded: the row carries a small state machine (<see cref="TileStage"/>: Scored → Moving → Done), every row write
/// (<see cref="ResultTable"/>) and blob move (<see cref="TileMover"/>) is conditional on the ETags read before it, and
/// when a condition fails the tile's state is read again and the next step decided afresh. The Function, the GPU
/// worker and the CLI all call this class.
/// </summary>
public sealed partial class TileProcessor(TileReader reader, ResultTable results, TileMover mover, TileScorer scorer,
    IOptions<ProcessingOptions> processingOptions, TimeProvider timeProvider, ILogger<TileProcessor> logger)
{
    private readonly ProcessingOptions _options = processingOptions.Value;

    /// <summary>Brings one blob of the tiles container to its final state. Throws only when storage keeps failing.</summary>
    public Task<TileOutcome> ProcessAsync(string blobName, CancellationToken cancellationToken) =>
        Unaddressable(blobName) ?? WithRetriesAsync(blobName, token => UntilSettledAsync(blobName, AdvanceAsync, "giving up this delivery", token), cancellationToken);

    /// <summary>
    /// Gives up on a tile whose processing keeps failing (a poison message or a dead-lettered event: a crash, a
    /// timeout, storage trouble): records a Failed row that says why and moves the blob to quarantine, through the
    /// same guarded state machine, so it is neither lost nor retried forever. Only the version the event was about
    /// (<paramref name="eventETag"/>, when the event says) is quarantined: a newer upload is left to be scored by its
    /// own event. A tile that already has a final result for its current version is left as it is; a half-finished
    /// move is completed instead.
    /// </summary>
    public Task<TileOutcome> QuarantineAsync(string blobName, string? eventETag, string reason, CancellationToken cancellationToken) =>
        Unaddressable(blobName) ?? WithRetriesAsync(blobName, token => UntilSettledAsync(blobName, (state, t) => QuarantineStepAsync(state, eventETag, reason, t),
            "not quarantined this time", token), cancellationToken);

    /// <summary>
    /// A name no client can be trusted to address (it would reach another blob) is not read, written or moved: the
    /// outcome says why, and the blob stays where it is. Other refused names are quarantined with a Failed row (TileReader).
    /// </summary>
    private Task<TileOutcome>? Unaddressable(string blobName)
    {
        if (Storage.BlobNames.Unaddressable(blobName) is not { } reason)
        {
            return null;
        }

        TileProcessorLog.RefusedName(logger, blobName, reason);
        return Task.FromResult(new TileOutcome(blobName, OutcomeKind.Skipped, null, null, null, reason));
    }

    /// <summary>Observes the tile and takes a step until a step settles it (a step returns null when a concurrent writer won).</summary>
    private async Task<TileOutcome> UntilSettledAsync(string blobName, Func<TileState, CancellationToken, Task<TileOutcome?>> step, string givingUp,
        CancellationToken cancellationToken)
    {
        for (int round = 1; round <= _options.MaxConflictRetries; round++)
        {
            var state = await reader.ObserveAsync(blobName, cancellationToken).ConfigureAwait(false);
            var outcome = await step(state, cancellationToken).ConfigureAwait(false);
            if (outcome is not null)
            {
                return outcome;
            }

            TileProcessorLog.StateChanged(logger, blobName, round);
        }

        throw new InvalidOperationException(
            $"The state of '{blobName}' kept changing under concurrent writers for {_options.MaxConflictRetries} rounds; {givingUp}.");
    }

    /// <summary>Takes the next step for a tile; null when a concurrent change was detected and the state must be re-read.</summary>
    private async Task<TileOutcome?> AdvanceAsync(TileState state, CancellationToken cancellationToken)
    {
        var row = state.Row;
        if (state.Blob is null && row is null)
        {
            return new TileOutcome(state.BlobName, OutcomeKind.Skipped, null, null, null, "The blob does not exist in the tiles container.");
        }

        // Gone from tiles with a row that is not final: a move that was cut short after the copy (or the delete).
        if (row is not null && (state.Blob is null || state.RowIsCurrent))
        {
            return row.StageValue == TileStage.Done
                ? Final(row, OutcomeKind.Duplicate, state.Blob is null
                    ? "Already processed; the blob has left the tiles container."
                    : "This version of the blob already has a final result.")
                : await MoveAsync(row, resumed: true, cancellationToken).ConfigureAwait(false);
        }

        var pending = await reader.DownloadAndPrepareAsync(state, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return null;
        }

        ScoredTile tile;
        try
        {
            tile = ScoreTogether([pending])[0]!;
        }
        catch (Exception ex) when (TileScorer.IsInputFault(ex))
        {
            // The model failed on this tile's patches alone (the batch path falls back here tile by tile): the same
            // bytes would fail again, so this is the tile's result rather than a retry that ends rowless in poison.
            TileProcessorLog.ScoringFailed(logger, state.BlobName, ex);
            tile = new ScoredTile(state, pending.ETag, scorer.Failed(TileScorer.FaultMessage(ex)), pending.ElapsedMs);
        }

        return await RecordAndMoveAsync(tile, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TileOutcome?> QuarantineStepAsync(TileState state, string? eventETag, string reason, CancellationToken cancellationToken)
    {
        if (state.Blob is null || state.RowIsCurrent)
        {
            // Nothing new to give up on: report what is there, or finish a move that was cut short.
            return await AdvanceAsync(state, cancellationToken).ConfigureAwait(false);
        }

        if (eventETag is not null && !ResultTable.SameVersion(state.Blob.ETag.ToString(), eventETag))
        {
            // The version that failed was replaced: the newer upload is innocent, and its own event scores it.
            TileProcessorLog.KeptNewerUpload(logger, state.BlobName);
            return new TileOutcome(state.BlobName, OutcomeKind.Skipped, null, TileLocation.Tiles, null,
                "A newer upload replaced the version this event was about; it is scored through its own event.");
        }

        var failed = ResultRows.Create(state.BlobName, state.Key, state.Blob.ETag.ToString(), scorer.Failed(reason), TileStage.Scored,
            TileLocation.Quarantine, timeProvider.GetUtcNow(), 0);
        if (!await results.WriteAsync(failed, state.Row?.ETag, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await MoveAsync(failed, resumed: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the result row (insert if absent, else replace if unchanged), then moves the tile if its verdict says so.</summary>
    private async Task<TileOutcome?> RecordAndMoveAsync(ScoredTile tile, CancellationToken cancellationToken)
    {
        var state = tile.State;
        var destination = ResultRows.DestinationFor(tile.Score.Verdict);
        var stage = destination == TileLocation.Tiles ? TileStage.Done : TileStage.Scored;
        var row = ResultRows.Create(state.BlobName, state.Key, tile.ETag.ToString(), tile.Score, stage, destination, timeProvider.GetUtcNow(), tile.DurationMs);
        if (!await results.WriteAsync(row, state.Row?.ETag, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        TileProcessorLog.Scored(logger, state.BlobName, tile.Score.Verdict, tile.Score.DefocusMicrons, tile.DurationMs);
        return stage == TileStage.Done
            ? Final(row, OutcomeKind.Processed)
            : await MoveAsync(row, resumed: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Scored → Moving → copy → delete the source if still the scored version → Done. Every step is safe to repeat, so a
    /// delivery that finds a row in Scored or Moving simply runs this again.
    /// </summary>
    private async Task<TileOutcome?> MoveAsync(FocusResultEntity row, bool resumed, CancellationToken cancellationToken)
    {
        if (row.StageValue == TileStage.Scored)
        {
            row.Stage = nameof(TileStage.Moving);
            if (!await results.WriteAsync(row, row.ETag, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        var destination = row.LocationValue;
        var move = await mover.MoveAsync(row, cancellationToken).ConfigureAwait(false);
        switch (move.Result)
        {
            case MoveResult.NotMoved:
                // Settled where it is (in tiles only) with the reason, instead of a move retried without end.
                TileProcessorLog.NotMoved(logger, row.BlobName, destination, move.Reason);
                destination = TileLocation.Tiles;
                row.Error = row.Error is null ? move.Reason
                    : row.Error.Contains(move.Reason!, StringComparison.Ordinal) ? row.Error
                    : $"{row.Error} {move.Reason}";
                break;
            case MoveResult.SourceChanged:
                // A newer upload replaced the scored version: it is not ours to move; re-read, and score it.
                TileProcessorLog.KeptNewerUpload(logger, row.BlobName);
                return null;
            case MoveResult.SourceVanished:
                TileProcessorLog.Vanished(logger, row.BlobName);
                destination = TileLocation.Deleted;
                row.Error ??= "The tile was deleted from the tiles container before it could be moved.";
                break;
        }

        row.Stage = nameof(TileStage.Done);
        row.Location = destination.ToString();
        if (!await results.WriteAsync(row, row.ETag, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (move.Result != MoveResult.NotMoved)
        {
            TileProcessorLog.Moved(logger, row.BlobName, destination);
        }

        return Final(row, resumed ? OutcomeKind.Resumed : OutcomeKind.Processed, move.Reason);
    }

    private static TileOutcome Final(FocusResultEntity row, OutcomeKind kind, string? reason = null) =>
        new(row.BlobName, kind, row.VerdictValue, row.LocationValue, row.DefocusMicrons, reason, row.DefocusLowMicrons, row.DefocusHighMicrons, row.VerdictReason);

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
                TileProcessorLog.TransientFailure(logger, blobName, attempt, (long)delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
