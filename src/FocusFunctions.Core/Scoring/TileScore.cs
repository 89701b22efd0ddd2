namespace FocusFunctions.Core.Scoring;

/// <summary>The focus result of one tile.</summary>
public sealed record TileScore
{
    public required FocusVerdict Verdict { get; init; }

    /// <summary>Median defocus over tissue patches, µm; null when nothing was scored.</summary>
    public double? DefocusMicrons { get; init; }

    /// <summary>
    /// The tile's defocus interval, µm: the median of its tissue patches' interval ends (docs/scoring.md). Null when
    /// the model predicts no scale or nothing was scored.
    /// </summary>
    public double? DefocusLowMicrons { get; init; }

    public double? DefocusHighMicrons { get; init; }

    /// <summary>Why the verdict is what it is when that is not plain from the numbers: set for Indeterminate.</summary>
    public string? VerdictReason { get; init; }

    /// <summary>Largest defocus of any tissue patch, µm.</summary>
    public double? WorstPatchMicrons { get; init; }

    /// <summary>Share of tissue patches above the threshold.</summary>
    public double OutOfFocusFraction { get; init; }

    /// <summary>Share of the tile's pixels that are tissue.</summary>
    public double TissueFraction { get; init; }

    /// <summary>Number of patches scored (those with enough tissue).</summary>
    public int PatchCount { get; init; }

    /// <summary>Decoded size, before resampling.</summary>
    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>Pixel size the tile was read at.</summary>
    public double MicronsPerPixel { get; init; }

    public double ThresholdMicrons { get; init; }

    public string? ModelName { get; init; }

    public string? ModelVersion { get; init; }

    /// <summary>Null, or what went wrong in words a person understands.</summary>
    public string? Error { get; init; }

    /// <summary>The patch grid, for focus maps; null when the tile could not be decoded.</summary>
    public PatchGrid? Grid { get; init; }
}

/// <summary>Every patch of a tile, scored or not, in row-major order.</summary>
public sealed record PatchGrid(int Columns, int Rows, int PatchSize, IReadOnlyList<PatchScore> Patches);

/// <summary>
/// One patch: its tissue share and, when scored, its defocus and (models with a scale) its defocus interval, from which
/// <see cref="Judgement"/> says whether it is in, out or undecided at the tile's threshold.
/// </summary>
public sealed record PatchScore(int Column, int Row, double TissueFraction, double? DefocusMicrons,
    double? DefocusLowMicrons = null, double? DefocusHighMicrons = null)
{
    /// <summary>Null for a patch without an interval (not scored, or no scale).</summary>
    public PatchJudgement? Judgement(double thresholdMicrons) => DefocusLowMicrons is { } low && DefocusHighMicrons is { } high
        ? FocusDecision.Judge(low, high, thresholdMicrons)
        : null;
}
