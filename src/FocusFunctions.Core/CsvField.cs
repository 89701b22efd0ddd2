namespace FocusFunctions.Core;

/// <summary>One CSV field as RFC 4180 writes it, for every CSV the project produces (CLI results, the report's rescan list).</summary>
public static class CsvField
{
    /// <summary>Quotes a field holding separators, quotes or line breaks, doubling the quotes inside; others stay as they are.</summary>
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
