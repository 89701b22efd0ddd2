using FocusFunctions.Core.Scoring;
namespace FocusFunctions.Core.Reports;

public enum SlideVerdictKind
{
    Pass,
    Rescan,
    Review,
}

/// <summary>
/// The slide in one word. Rescan when any tile is out of focus (the scanner can fix that by itself); otherwise review
/// when any tile could not be read (a person must look: a cut-off upload, a wrong format) or could not be judged
/// (Indeterminate: the model's intervals straddle the threshold); otherwise pass. Tiles without tissue count towards
/// neither.
/// </summary>
public sealed record SlideVerdict(SlideVerdictKind Kind, int RescanCount, int ReviewCount)
{
    public static SlideVerdict For(IEnumerable<ReportTile> tiles)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        var list = tiles as IReadOnlyCollection<ReportTile> ?? tiles.ToList();
        int rescan = list.Count(t => t.Verdict == FocusVerdict.OutOfFocus);
        int review = list.Count(t => t.Verdict is FocusVerdict.Failed or FocusVerdict.Indeterminate);
        var kind = rescan > 0 ? SlideVerdictKind.Rescan : review > 0 ? SlideVerdictKind.Review : SlideVerdictKind.Pass;
        return new SlideVerdict(kind, rescan, review);
    }

    /// <summary>e.g. "Rescan 3 tiles, review 1".</summary>
    public string Headline => Kind switch
    {
        SlideVerdictKind.Rescan => $"Rescan {Tiles(RescanCount)}" + (ReviewCount > 0 ? $", review {ReviewCount}" : ""),
        SlideVerdictKind.Review => $"Review {Tiles(ReviewCount)}",
        _ => "Pass",
    };

    public static string Rule(double thresholdMicrons) =>
        $"Rescan when any tile with tissue reads above {thresholdMicrons:0.0#} µm (the median of its tissue patches); " +
        "otherwise review when any tile could not be read or judged (indeterminate); otherwise pass. Tiles without tissue count towards neither.";

    private static string Tiles(int count) => count == 1 ? "1 tile" : $"{count} tiles";
}
