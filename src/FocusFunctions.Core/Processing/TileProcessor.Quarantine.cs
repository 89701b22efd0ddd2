namespace FocusFunctions.Core.Processing;

public sealed partial class TileProcessor
{
    /// <summary>
    /// Gives up on a tile whose processing keeps failing (a poison message: a crash, a timeout, storage trouble):
    /// records a Failed row that says why and moves the blob to quarantine, through the same guarded state machine,
    /// so it is neither lost nor retried forever. A tile that already has a final result for its current version is
    /// left as it is; a half-finished move is completed instead.
    /// </summary>
    public Task<TileOutcome> QuarantineAsync(string blobName, string reason, CancellationToken cancellationToken) =>
        WithRetriesAsync(blobName, token => QuarantineOnceAsync(blobName, reason, token), cancellationToken);

    private async Task<TileOutcome> QuarantineOnceAsync(string blobName, string reason, CancellationToken cancellationToken)
    {
        for (int round = 1; round <= _options.MaxConflictRetries; round++)
        {
            var state = await ObserveAsync(blobName, cancellationToken).ConfigureAwait(false);
            var row = state.Row;
            bool sameVersion = row is not null && state.Blob is not null && row.SourceETag == state.Blob.ETag.ToString();
            if (state.Blob is null || sameVersion)
            {
                // Nothing new to give up on: report what is there, or finish a move that was cut short.
                var outcome = await AdvanceAsync(state, cancellationToken).ConfigureAwait(false);
                if (outcome is not null)
                {
                    return outcome;
                }

                continue;
            }

            var failed = ResultRows.Create(blobName, state.Key, state.Blob.ETag.ToString(), _scorer.Failed(reason), TileStage.Scored,
                TileLocation.Quarantine, _time.GetUtcNow(), 0);
            if (!await WriteRowAsync(failed, row?.ETag, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            var moved = await MoveAsync(failed, resumed: false, cancellationToken).ConfigureAwait(false);
            if (moved is not null)
            {
                return moved;
            }
        }

        throw new InvalidOperationException(
            $"The state of '{blobName}' kept changing under concurrent writers for {_options.MaxConflictRetries} rounds; not quarantined this time.");
    }
}
