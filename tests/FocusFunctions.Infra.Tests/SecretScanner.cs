using System.Text.RegularExpressions;

namespace FocusFunctions.Infra.Tests;

/// <summary>Finds ways a template could put a key into configuration or outputs.</summary>
public static partial class SecretScanner
{
    public static IReadOnlyList<string> Findings(string templateJson)
    {
        var findings = new List<string>();
        findings.AddRange(ListFunction().Matches(templateJson).Select(m => $"list* function call: {m.Value}"));
        findings.AddRange(KeyWord().Matches(templateJson).Select(m => $"key material: {m.Value}"));
        Walk(JsonNode.Parse(templateJson), "$", findings);
        return findings;
    }

    private static void Walk(JsonNode? node, string path, List<string> findings)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    var childPath = $"{path}.{name}";
                    if (name.Contains("connectionstring", StringComparison.OrdinalIgnoreCase) && value is JsonValue v
                        && v.TryGetValue<string>(out var text) && LooksLikeKeyedConnection(text))
                    {
                        findings.Add($"keyed connection string at {childPath}");
                    }

                    Walk(value, childPath, findings);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", findings);
                }

                break;
        }
    }

    // A connection string is only acceptable when it carries no credential of its own.
    private static bool LooksLikeKeyedConnection(string text) =>
        text.Contains("Key=", StringComparison.OrdinalIgnoreCase)
        || text.Contains("SharedAccessSignature", StringComparison.OrdinalIgnoreCase)
        || ListFunction().IsMatch(text);

    [GeneratedRegex(@"\blist[A-Za-z]*\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();

    [GeneratedRegex(@"(?<![A-Za-z])(AccountKey|SharedAccessKey|primaryKey|secondaryKey|primarySharedKey|sharedKey)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyWord();
}
