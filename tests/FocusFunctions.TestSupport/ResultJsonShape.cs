using System.Text.Json;

namespace FocusFunctions.TestSupport;

/// <summary>The property names, in order, of one result row as the HTTP API and <c>focus results --json</c> show it (issue 25 added verdictReason and the interval).</summary>
public static class ResultJsonShape
{
    public static readonly string[] PropertyNames =
    [
        "blobName", "verdict", "verdictReason", "stage", "location", "defocusMicrons", "defocusLowMicrons", "defocusHighMicrons", "worstPatchMicrons", "outOfFocusFraction", "tissueFraction",
        "patchCount", "width", "height", "micronsPerPixel", "thresholdMicrons", "modelName", "modelVersion", "error", "scoredAtUtc",
        "durationMs", "tileX", "tileY", "gridColumns", "gridRows", "patchDefocus",
    ];

    public static IEnumerable<string> NamesOf(JsonElement row) => row.EnumerateObject().Select(p => p.Name);
}
