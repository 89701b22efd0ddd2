using System.Collections.Concurrent;
using Azure;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Reports;

/// <summary>
/// A slide's report from storage: the result rows the HTTP API reads, and a thumbnail of each tile read from the
/// container its row says it is in now (tiles, rejected or quarantine).
/// </summary>
public sealed class SlideReportLoader(SlideQueries queries, StorageClientFactory clients, IOptions<StorageOptions> options, IOptions<DecodeOptions> decoding)
{
    private const int DownloadParallelism = 8;

    /// <summary>Null when the slide has no result rows.</summary>
    public async Task<SlideReport?> LoadAsync(string slideId, CancellationToken cancellationToken)
    {
        var rows = await queries.RowsAsync(slideId, null, cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        int side = ReportThumbnails.SideFor(rows.Count);
        var thumbnails = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = DownloadParallelism, CancellationToken = cancellationToken },
            async (row, token) =>
            {
                if (await ThumbnailAsync(row, side, token).ConfigureAwait(false) is { } thumbnail)
                {
                    thumbnails[row.BlobName] = thumbnail;
                }
            }).ConfigureAwait(false);
        return SlideReport.FromRows(slideId, rows, thumbnails);
    }

    private async Task<byte[]?> ThumbnailAsync(FocusResultEntity row, int side, CancellationToken cancellationToken)
    {
        string? container = row.Location switch
        {
            nameof(TileLocation.Tiles) => options.Value.TilesContainer,
            nameof(TileLocation.Rejected) => options.Value.RejectedContainer,
            nameof(TileLocation.Quarantine) => options.Value.QuarantineContainer,
            _ => null,
        };
        if (container is null)
        {
            return null;
        }

        try
        {
            var download = await clients.Container(container).GetBlobClient(row.BlobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            using var content = download.Value.Content.ToStream();
            return ReportThumbnails.FromEncoded(content, side, decoding.Value.MaxInputPixels);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Moved or deleted since the row was read: the page shows the tile without a picture.
            return null;
        }
    }
}
