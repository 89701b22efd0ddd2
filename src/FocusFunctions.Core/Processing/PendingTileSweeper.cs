using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// Finds the blobs of the tiles container that have no final result for their current version and processes them in
/// batches: the CLI's <c>focus process</c>, and a catch-up for anything a trigger missed.
/// </summary>
public sealed class PendingTileSweeper(BlobContainerClient tiles, TableClient results, TileProcessor processor, TileKeyResolver keys, ProcessingOptions options)
{
    public async Task<IReadOnlyList<string>> FindPendingAsync(CancellationToken cancellationToken)
    {
        var finished = await FinishedVersionsAsync(cancellationToken).ConfigureAwait(false);
        var pending = new List<string>();
        await foreach (var blob in tiles.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var key = keys.Resolve(blob.Name);
            if (!finished.TryGetValue((key.PartitionKey, key.RowKey), out var etag) || Unquoted(etag) != Unquoted(blob.Properties.ETag?.ToString()))
            {
                pending.Add(blob.Name);
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

    // Listings give ETags without the quotes that response headers (and so our rows) carry.
    private static string Unquoted(string? etag) => etag?.Trim('"') ?? "";

    private async Task<Dictionary<(string, string), string>> FinishedVersionsAsync(CancellationToken cancellationToken)
    {
        var finished = new Dictionary<(string, string), string>();
        try
        {
            string filter = TableClient.CreateQueryFilter($"Stage eq {nameof(TileStage.Done)}");
            string[] select = [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey), nameof(FocusResultEntity.SourceETag)];
            await foreach (var row in results.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                finished[(row.PartitionKey, row.RowKey)] = row.GetString(nameof(FocusResultEntity.SourceETag)) ?? "";
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: nothing is finished.
        }

        return finished;
    }
}
