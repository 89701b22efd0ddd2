namespace FocusFunctions.Core.Scoring;

/// <summary>The focus result of one tile.</summary>
public sealed record TileScore
{
    public required FocusVerdict Verdict { get; init; }

    /// <summary>Median defocus over tissue patches, µm; null when nothing was scored.</summary>
    public double? DefocusMicrons { get; init; }

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

public sealed record PatchScore(int Column, int Row, double TissueFraction, double? DefocusMicrons);
