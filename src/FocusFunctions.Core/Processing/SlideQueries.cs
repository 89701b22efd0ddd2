using Azure;
using Azure.Data.Tables;
using FocusFunctions.Core.Maps;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>Reads a slide's result rows for the HTTP API and the CLI.</summary>
public sealed class SlideQueries(TableClient results)
{
    /// <summary>The slide's rows, optionally of one verdict, in row-key order.</summary>
    public async Task<IReadOnlyList<FocusResultEntity>> RowsAsync(string slideId, FocusVerdict? verdict, CancellationToken cancellationToken)
    {
        string partition = TileKeyResolver.PartitionFor(slideId);
        string filter = verdict is { } v
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Verdict eq {v.ToString()}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var rows = new List<FocusResultEntity>();
        try
        {
            await foreach (var row in results.QueryAsync<FocusResultEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: no results.
        }

        return rows;
    }

    /// <summary>Every row of every slide.</summary>
    public async Task<IReadOnlyList<FocusResultEntity>> AllRowsAsync(CancellationToken cancellationToken)
    {
        var rows = new List<FocusResultEntity>();
        try
        {
            await foreach (var row in results.QueryAsync<FocusResultEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }

        return rows;
    }

    /// <summary>Null when the slide has no rows.</summary>
    public async Task<SlideSummary?> SummaryAsync(string slideId, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(slideId, null, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var verdicts = Enum.GetNames<FocusVerdict>().ToDictionary(v => v, v => rows.Count(r => r.Verdict == v));
        var defocus = rows.Where(r => r.DefocusMicrons.HasValue).Select(r => (float)r.DefocusMicrons!.Value).ToList();
        return new SlideSummary(
            slideId,
            rows.Count,
            rows.Count(r => r.Stage != nameof(TileStage.Done)),
            verdicts,
            defocus.Count > 0 ? defocus.Average(d => (double)d) : null,
            defocus.Count > 0 ? FocusDecision.Median(defocus) : null,
            rows.Where(r => r.Location == nameof(TileLocation.Rejected)).Select(r => r.BlobName).ToList(),
            rows.Where(r => r.Location == nameof(TileLocation.Quarantine)).Select(r => r.BlobName).ToList());
    }

    /// <summary>Out-of-focus tiles, by grid position where known.</summary>
    public async Task<IReadOnlyList<RescanTile>> RescanAsync(string slideId, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(slideId, FocusVerdict.OutOfFocus, cancellationToken).ConfigureAwait(false);
        return RescanTile.Ordered(rows.Select(r => new RescanTile(r.BlobName, r.TileX, r.TileY, r.DefocusMicrons)));
    }

    /// <summary>The slide's focus map as PNG; null when no row has a grid position.</summary>
    public async Task<byte[]?> FocusMapAsync(string slideId, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(slideId, null, cancellationToken).ConfigureAwait(false);
        var placed = rows.Where(r => r.TileX.HasValue && r.TileY.HasValue).ToList();
        if (placed.Count == 0)
        {
            return null;
        }

        double threshold = placed.Max(r => r.ThresholdMicrons);
        return FocusMapRenderer.RenderMosaic(
            placed.Select(r => (r.TileX!.Value, r.TileY!.Value, r.DefocusMicrons, r.VerdictValue)),
            threshold > 0 ? threshold : ScoringOptions.DefaultRejectAboveMicrons);
    }
}
