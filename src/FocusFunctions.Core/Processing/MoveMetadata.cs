using System.Globalization;
using System.Text;

namespace FocusFunctions.Core.Processing;

/// <summary>The verdict a moved tile carries as blob metadata, so that rejected and quarantine explain themselves.</summary>
internal static class MoveMetadata
{
    public static Dictionary<string, string> For(FocusResultEntity row)
    {
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Verdict] = row.Verdict,
            [MetadataKeys.SourceETag] = row.SourceETag,
            [MetadataKeys.ScoredAt] = row.ScoredAtUtc.ToString("O", CultureInfo.InvariantCulture),
        };
        if (row.DefocusMicrons is { } defocus)
        {
            metadata[MetadataKeys.DefocusMicrons] = defocus.ToString("0.###", CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrEmpty(row.ModelVersion))
        {
            metadata[MetadataKeys.ModelVersion] = Ascii(row.ModelVersion);
        }

        if (!string.IsNullOrEmpty(row.ModelName))
        {
            metadata[MetadataKeys.ModelName] = Ascii(row.ModelName);
        }

        return metadata;
    }

    // Metadata travels as HTTP headers: printable ASCII only.
    private static string Ascii(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }
}
