using System.Text.RegularExpressions;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// Splits a blob path into slide id and the rest: the first <see cref="StorageOptions.SlideFolderDepth"/> folders are
/// the slide, and a tile's grid position is read from its file name with <see cref="StorageOptions.GridPositionPattern"/>.
/// </summary>
public sealed class TileKeyResolver
{
    private readonly int _depth;
    private readonly Regex _gridPosition;

    public TileKeyResolver(StorageOptions options)
    {
        _depth = options.SlideFolderDepth;
        _gridPosition = new Regex(options.GridPositionPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public TileKey Resolve(string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var segments = blobName.Split('/');
        int slideSegments = Math.Min(_depth, segments.Length - 1);
        string slide = string.Join('/', segments, 0, slideSegments);
        string rest = string.Join('/', segments, slideSegments, segments.Length - slideSegments);
        var (x, y) = GridPosition(segments[^1]);
        return new TileKey(PartitionFor(slide), RowKeyCodec.Encode(rest), slide, x, y);
    }

    /// <summary>The partition key of a slide id as it appears in blob paths (empty: the container root).</summary>
    public static string PartitionFor(string slideId) =>
        slideId.Length == 0 ? StorageOptions.RootPartitionKey : RowKeyCodec.Encode(slideId);

    private (int? X, int? Y) GridPosition(string fileName) =>
        TilePosition.Parse(fileName, _gridPosition) is { } position ? (position.X, position.Y) : (null, null);
}
