namespace FocusFunctions.Core.Processing;

public sealed partial class TileProcessor
{
    /// <summary>
    /// Processes many blobs: downloads and prepares them in parallel (bounded), scores all their patches with one
    /// model call, then records and moves each. A tile that needs more than the straight path (a duplicate, an
    /// interrupted move, a race) goes through <see cref="ProcessAsync"/>. Never throws for one tile's failure: that
    /// tile's outcome is <see cref="OutcomeKind.Failed"/> and it stays pending for the next run.
    /// </summary>
    public async Task<IReadOnlyList<TileOutcome>> ProcessBatchAsync(IReadOnlyList<string> blobNames, CancellationToken cancellationToken)
    {
        var outcomes = new TileOutcome[blobNames.Count];
        IReadOnlyList<int> left = Enumerable.Range(0, blobNames.Count).ToList();
        while (left.Count > 0)
        {
            left = await ProcessWithinBudgetAsync(blobNames, left, outcomes, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>
    /// One pass over <paramref name="indices"/>: tiles are taken in order until the prepared ones hold
    /// <see cref="ProcessingOptions.MaxBatchPixels"/> (those already downloading still join), scored together, recorded
    /// and moved; returns the indices not taken, for the next pass. The first tile is always taken.
    /// </summary>
    private async Task<IReadOnlyList<int>> ProcessWithinBudgetAsync(IReadOnlyList<string> blobNames, IReadOnlyList<int> indices, TileOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var pending = new PendingTile?[blobNames.Count];
        var taken = new bool[blobNames.Count];
        long heldPixels = 0;
        var budget = new Lock();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.DownloadParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(indices, parallel, async (i, token) =>
        {
            lock (budget)
            {
                if (heldPixels >= _options.MaxBatchPixels)
                {
                    return; // left for the next pass
                }

                taken[i] = true;
            }

            try
            {
                var state = await reader.ObserveAsync(blobNames[i], token).ConfigureAwait(false);
                if (state.Blob is not null && !state.RowIsCurrent)
                {
                    pending[i] = await reader.DownloadAndPrepareAsync(state, token).ConfigureAwait(false);
                    if (pending[i]?.Prepared is { } prepared)
                    {
                        lock (budget)
                        {
                            heldPixels += prepared.ResampledPixels;
                        }
                    }
                }
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                // Left for the single-tile path below, which retries transient failures with back-off and reports
                // any other failure as this tile's outcome, without failing the rest of the batch.
                TileProcessorLog.BatchFallback(logger, blobNames[i], ex.Message);
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
            TileProcessorLog.BatchFallback(logger, $"{taken.Count(t => t)} tiles", ex.Message);
            scored = new ScoredTile?[blobNames.Count];
        }

        // The scores are taken: the prepared pixels are released before the single-tile path decodes anything.
        Array.Clear(pending);
        var takenIndices = indices.Where(i => taken[i]).ToList();
        await Parallel.ForEachAsync(takenIndices, parallel, async (i, token) =>
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
                TileProcessorLog.TileFailed(logger, blobNames[i], ex);
                outcomes[i] = new TileOutcome(blobNames[i], OutcomeKind.Failed, null, null, null, ex.Message);
            }
        }).ConfigureAwait(false);

        return indices.Where(i => !taken[i]).ToList();
    }

    /// <summary>Scores every prepared tile together (model runs of up to the model's MaxBatchSize patches across tiles); entries without a pending tile stay null.</summary>
    private ScoredTile?[] ScoreTogether(IReadOnlyList<PendingTile?> pending)
    {
        var prepared = pending.Where(p => p?.Prepared is not null).Select(p => p!.Prepared!).ToList();
        var started = Stopwatch.GetTimestamp();
        var scores = prepared.Count > 0 ? scorer.ScorePrepared(prepared) : [];
        long share = prepared.Count > 0 ? (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds / prepared.Count : 0;

        var scored = new ScoredTile?[pending.Count];
        int next = 0;
        for (int i = 0; i < pending.Count; i++)
        {
            if (pending[i] is not { } tile)
            {
                continue;
            }

            scored[i] = tile.Prepared is not null
                ? new ScoredTile(tile.State, tile.ETag, scores[next++], tile.ElapsedMs + share)
                : new ScoredTile(tile.State, tile.ETag, tile.Judged!, tile.ElapsedMs);
        }

        return scored;
    }

    private async Task<TileOutcome?> TryRecordAndMoveAsync(ScoredTile tile, CancellationToken cancellationToken)
    {
        try
        {
            return await RecordAndMoveAsync(tile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TransientFailures.IsTransient(ex, cancellationToken))
        {
            TileProcessorLog.BatchFallback(logger, tile.State.BlobName, ex.Message);
            return null;
        }
    }
}
