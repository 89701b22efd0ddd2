using Azure;
using Azure.Data.Tables;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// The results table as the processor uses it: one row per tile, read and written under ETag conditions so that
/// concurrent deliveries of the same tile cannot overwrite each other's progress.
/// </summary>
public sealed class ResultTable(TableClient table)
{
    /// <summary>The tile's row; null when it has none (or the table does not exist yet).</summary>
    public async Task<FocusResultEntity?> ReadAsync(TileKey key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.GetEntityIfExistsAsync<FocusResultEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: no rows. It is created on the first write.
            return null;
        }
    }

    /// <summary>
    /// Inserts the row when <paramref name="expected"/> is null, else replaces it if its ETag is still
    /// <paramref name="expected"/>. False when another writer got there first (the caller re-reads and re-decides).
    /// </summary>
    public async Task<bool> WriteAsync(FocusResultEntity row, ETag? expected, CancellationToken cancellationToken)
    {
        try
        {
            var response = expected is { } etag
                ? await table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            row.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "TableNotFound")
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // 409: inserted meanwhile; 412: replaced meanwhile; 404: the row we meant to replace is gone.
            return false;
        }
    }

    /// <summary>The rows whose tile is Done (keys, stage and source ETag only), by partition and row key.</summary>
    public async Task<Dictionary<(string, string), FocusResultEntity>> FinishedRowsAsync(CancellationToken cancellationToken)
    {
        var finished = new Dictionary<(string, string), FocusResultEntity>();
        try
        {
            string filter = TableClient.CreateQueryFilter($"Stage eq {nameof(TileStage.Done)}");
            string[] select = [nameof(ITableEntity.PartitionKey), nameof(ITableEntity.RowKey), nameof(FocusResultEntity.Stage), nameof(FocusResultEntity.SourceETag)];
            await foreach (var row in table.QueryAsync<FocusResultEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                finished[(row.PartitionKey, row.RowKey)] = row;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: nothing is finished.
        }

        return finished;
    }

    /// <summary>
    /// The blob names of rows that are not Done (Scored or Moving): a move cut short by a crash, whose blob may already
    /// have left the tiles container and so would never be listed there again.
    /// </summary>
    public async Task<List<string>> UnfinishedBlobNamesAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            string filter = TableClient.CreateQueryFilter($"Stage ne {nameof(TileStage.Done)}");
            string[] select = [nameof(FocusResultEntity.BlobName)];
            await foreach (var row in table.QueryAsync<FocusResultEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                names.Add(row.BlobName);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: nothing is unfinished.
        }

        return names;
    }

    /// <summary>
    /// True when <paramref name="row"/> describes exactly the blob version <paramref name="blobETag"/>: the one
    /// "this version already has a row" check. Listings give ETags without the quotes that response headers (and so
    /// rows) carry, so quotes are ignored.
    /// </summary>
    public static bool IsCurrent(FocusResultEntity? row, ETag? blobETag) =>
        row is not null && blobETag is { } etag && SameVersion(row.SourceETag, etag.ToString());

    /// <summary>Whether two ETags name one blob version; events and headers differ in whether they quote it.</summary>
    public static bool SameVersion(string etag, string otherETag) => Unquoted(etag) == Unquoted(otherETag);

    private static string Unquoted(string etag) => etag.Trim('"');
}
