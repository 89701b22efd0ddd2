using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using FocusFunctions.Core.Imaging;

namespace FocusFunctions.Core.Processing;

public sealed partial class TileProcessor
{
    private async Task<TileState> ObserveAsync(string blobName, CancellationToken cancellationToken)
    {
        var key = _keys.Resolve(blobName);
        FocusResultEntity? row = null;
        try
        {
            var response = await _results.GetEntityIfExistsAsync<FocusResultEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            row = response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: no rows. It is created on the first write.
        }

        BlobProperties? blob = null;
        try
        {
            blob = (await _tiles.GetBlobClient(blobName).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }

        return new TileState(blobName, key, blob, row);
    }

    /// <summary>Downloads exactly the version observed; null when the blob changed or vanished since.</summary>
    private async Task<PendingTile?> DownloadAndPrepareAsync(TileState state, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var blob = state.Blob!;
        long limit = _scorer.Decoding.MaxInputBytes;
        if (blob.ContentLength > limit)
        {
            // Refused without downloading it.
            var tooBig = _scorer.Failed($"The file is {blob.ContentLength:N0} bytes; the limit is {limit:N0} bytes.");
            return new PendingTile(state, blob.ETag, null, tooBig, 0);
        }

        BinaryData content;
        try
        {
            var download = await _tiles.GetBlobClient(state.BlobName).DownloadContentAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = blob.ETag } }, cancellationToken).ConfigureAwait(false);
            content = download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }

        try
        {
            using var stream = content.ToStream();
            var prepared = _scorer.Prepare(stream);
            return new PendingTile(state, blob.ETag, prepared, null, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (TileDecodeException ex)
        {
            LogUnreadable(_logger, state.BlobName, ex.Message);
            return new PendingTile(state, blob.ETag, null, _scorer.Failed(ex.Message), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Scores every prepared tile together (model runs of up to MaxBatchSize patches across tiles); entries without a pending tile stay null.</summary>
    private ScoredTile?[] ScoreTogether(IReadOnlyList<PendingTile?> pending)
    {
        var prepared = pending.Where(p => p?.Prepared is not null).Select(p => p!.Prepared!).ToList();
        var started = Stopwatch.GetTimestamp();
        var scores = prepared.Count > 0 ? _scorer.ScorePrepared(prepared) : [];
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

    /// <summary>Writes the result row (insert if absent, else replace if unchanged), then moves the tile if its verdict says so.</summary>
    private async Task<TileOutcome?> RecordAndMoveAsync(ScoredTile tile, CancellationToken cancellationToken)
    {
        var state = tile.State;
        var destination = ResultRows.DestinationFor(tile.Score.Verdict);
        var stage = destination == TileLocation.Tiles ? TileStage.Done : TileStage.Scored;
        var row = ResultRows.Create(state.BlobName, state.Key, tile.ETag.ToString(), tile.Score, stage, destination, _time.GetUtcNow(), tile.DurationMs);
        if (!await WriteRowAsync(row, state.Row?.ETag, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        LogScored(_logger, state.BlobName, tile.Score.Verdict, tile.Score.DefocusMicrons, tile.DurationMs);
        if (stage == TileStage.Done)
        {
            return Final(row, OutcomeKind.Processed);
        }

        await _faults.BeforeMoveAsync(state.BlobName, cancellationToken).ConfigureAwait(false);
        return await MoveAsync(row, resumed: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts the row when <paramref name="expected"/> is null, else replaces it if its ETag is still
    /// <paramref name="expected"/>. False when another writer got there first (the caller re-reads and re-decides).
    /// </summary>
    private async Task<bool> WriteRowAsync(FocusResultEntity row, ETag? expected, CancellationToken cancellationToken)
    {
        try
        {
            var response = expected is { } etag
                ? await _results.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await _results.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            row.ETag = response.Headers.ETag ?? default;
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "TableNotFound")
        {
            await _results.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // 409: inserted meanwhile; 412: replaced meanwhile; 404: the row we meant to replace is gone.
            return false;
        }
    }
}
