using Azure.Storage.Blobs;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// Finds the blobs of the tiles container that have no final result for their current version, and the rows a crash
/// left unfinished, and processes them in batches: the CLI's <c>focus process</c>, and a catch-up for anything a trigger missed.
/// </summary>
public sealed class PendingTileSweeper(BlobContainerClient tiles, ResultTable results, TileProcessor processor, TileKeyResolver keys, ProcessingOptions options)
{
    public async Task<IReadOnlyList<string>> FindPendingAsync(CancellationToken cancellationToken)
    {
        var finished = await results.FinishedRowsAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<string>();
        await foreach (var blob in tiles.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // An unaddressable name stays pending: processing it reports why it is left alone.
            if (BlobNames.Unaddressable(blob.Name) is not null)
            {
                pending.Add(blob.Name);
                continue;
            }

            var key = keys.Resolve(blob.Name);
            if (!ResultTable.IsCurrent(finished.GetValueOrDefault((key.PartitionKey, key.RowKey)), blob.Properties.ETag))
            {
                pending.Add(blob.Name);
            }
        }

        // A row left in Scored or Moving by a crash is finished too, even when its blob already left tiles (copied
        // and deleted, but the row not yet marked Done): nothing else would ever visit it again.
        var listed = new HashSet<string>(pending, StringComparer.Ordinal);
        foreach (var name in await results.UnfinishedBlobNamesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (listed.Add(name))
            {
                pending.Add(name);
            }
        }

        return pending;
    }

    /// <summary>Processes every pending blob, <see cref="ProcessingOptions.BatchSize"/> at a time.</summary>
    public async Task<IReadOnlyList<TileOutcome>> SweepAsync(Action<IReadOnlyList<TileOutcome>>? onBatch, CancellationToken cancellationToken)
    {
        var pending = await FindPendingAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new List<TileOutcome>(pending.Count);
        foreach (var chunk in pending.Chunk(options.BatchSize))
        {
            var batch = await processor.ProcessBatchAsync(chunk, cancellationToken).ConfigureAwait(false);
            onBatch?.Invoke(batch);
            outcomes.AddRange(batch);
        }

        return outcomes;
    }
}
