using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FocusFunctions.Cli;

/// <summary>--write-settings: sets Scoring__RejectAboveMicrons in a local.settings.json-shaped file, keeping everything else in it.</summary>
public static class SettingsFile
{
    public const string RejectAboveKey = "Scoring__RejectAboveMicrons";

    public static void SetRejectAbove(string path, double thresholdMicrons)
    {
        var root = File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"'{path}' does not hold a JSON object.")
            : new JsonObject { ["IsEncrypted"] = false };
        if (root["Values"] is not JsonObject values)
        {
            values = new JsonObject();
            root["Values"] = values;
        }

        // The Functions host reads every value as a string.
        values[RejectAboveKey] = Format(thresholdMicrons);
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
    }

    public static string Format(double thresholdMicrons) => Math.Round(thresholdMicrons, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
