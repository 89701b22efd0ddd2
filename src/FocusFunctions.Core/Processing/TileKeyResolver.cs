using System.Diagnostics.CodeAnalysis;
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

    /// <summary>The row key of a blob; throws <see cref="InvalidBlobNameException"/> for a name no client can be trusted to address.</summary>
    public TileKey Resolve(string blobName)
    {
        BlobNames.EnsureAddressable(blobName);
        var segments = blobName.Split('/');
        int slideSegments = Math.Min(_depth, segments.Length - 1);
        string slide = string.Join('/', segments, 0, slideSegments);
        string rest = string.Join('/', segments, slideSegments, segments.Length - slideSegments);
        var (x, y) = GridPosition(segments[^1]);
        return new TileKey(PartitionFor(slide), KeyFor(rest), slide, x, y);
    }

    /// <summary>
    /// The partition key of a slide id as it appears in blob paths (empty: the container root). A slide literally named
    /// like the root partition is escaped, so that "x.png" and "_root/x.png" never share a row.
    /// </summary>
    public static string PartitionFor(string slideId)
    {
        if (slideId.Length == 0)
        {
            return StorageOptions.RootPartitionKey;
        }

        string key = KeyFor(slideId);
        return key == StorageOptions.RootPartitionKey ? EscapedRootName : key;
    }

    /// <summary>
    /// The blob name a key stands for, when the key holds it whole; false for a key shortened with a hash (the row's
    /// BlobName holds the path then) or for text that no blob name encodes to.
    /// </summary>
    public static bool TryDecode(string partitionKey, string rowKey, [NotNullWhen(true)] out string? blobName)
    {
        blobName = null;
        if (partitionKey.Contains(HashSeparator, StringComparison.Ordinal) || rowKey.Contains(HashSeparator, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            string slide = partitionKey == StorageOptions.RootPartitionKey ? "" : RowKeyCodec.Decode(partitionKey);
            string rest = RowKeyCodec.Decode(rowKey);
            blobName = slide.Length == 0 ? rest : $"{slide}/{rest}";
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Table keys hold at most 1 KiB (512 UTF-16 characters). A longer encoded path keeps a readable prefix and gets a
    /// hash of the whole path in place of the rest; the row's BlobName still holds the path itself. The separator "%~"
    /// is one no encoded path contains (the codec writes '%' only before hex digits or 'u'), so a short name can never
    /// be made to equal a long name's shortened key.
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

        return $"{prefix}{HashSeparator}{hash}";
    }

    /// <summary>Longest key, in UTF-16 characters, that fits a Table storage key (1 KiB).</summary>
    public const int MaxKeyLength = 512;

    private const string HashSeparator = "%~";

    private const int HashSuffixLength = 66;

    // '_' as the codec would write it, were it escaped: decodes to "_root", and no unescaped key equals it.
    private const string EscapedRootName = "%5Froot";

    private (int? X, int? Y) GridPosition(string fileName) =>
        TilePosition.Parse(fileName, _gridPosition) is { } position ? (position.X, position.Y) : (null, null);
}
