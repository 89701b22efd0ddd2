using System.Text.RegularExpressions;
using FocusFunctions.Core.Storage;
using FocusFunctions.Core.Scoring;

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
        return new TileKey(PartitionFor(slide), KeyFor(rest), slide, x, y);
    }

    /// <summary>The partition key of a slide id as it appears in blob paths (empty: the container root).</summary>
    public static string PartitionFor(string slideId) =>
        slideId.Length == 0 ? StorageOptions.RootPartitionKey : KeyFor(slideId);

    /// <summary>
    /// Table keys hold at most 1 KiB (512 UTF-16 characters). A longer encoded path keeps a readable prefix and gets a
    /// hash of the whole path in place of the rest; the row's BlobName still holds the path itself.
    /// </summary>
    public static string KeyFor(string value)
    {
        string key = RowKeyCodec.Encode(value);
        if (key.Length <= MaxKeyLength)
        {
            return key;
        }

        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)));
        int take = Math.Min(value.Length, MaxKeyLength / 2);
        string prefix;
        do
        {
            // Never cut a surrogate pair in half.
            take -= take > 0 && char.IsHighSurrogate(value[take - 1]) ? 1 : 0;
            prefix = RowKeyCodec.Encode(value[..take]);
            take -= 16;
        }
        while (prefix.Length + HashSuffixLength > MaxKeyLength);

        return $"{prefix}~{hash}";
    }

    /// <summary>Longest key, in UTF-16 characters, that fits a Table storage key (1 KiB).</summary>
    public const int MaxKeyLength = 512;

    private const int HashSuffixLength = 65;

    private (int? X, int? Y) GridPosition(string fileName) =>
        TilePosition.Parse(fileName, _gridPosition) is { } position ? (position.X, position.Y) : (null, null);
}
