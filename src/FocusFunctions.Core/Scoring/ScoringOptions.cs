using System.ComponentModel.DataAnnotations;

namespace FocusFunctions.Core.Scoring;

/// <summary>How a tile is judged. Bound from the "Scoring" configuration section.</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>The one place the default threshold is written (infra parameters aside).</summary>
    public const double DefaultRejectAboveMicrons = 2.0;

    /// <summary>Tiles whose robust defocus exceeds this are OutOfFocus.</summary>
    [Range(0.01, 100.0)]
    public double RejectAboveMicrons { get; set; } = DefaultRejectAboveMicrons;

    /// <summary>A patch is scored only when at least this share of its pixels is tissue.</summary>
    [Range(0.0, 1.0)]
    public double MinPatchTissueFraction { get; set; } = 0.5;

    /// <summary>A tile with less tissue than this (share of all its pixels) is NoTissue.</summary>
    [Range(0.0, 1.0)]
    public double MinTileTissueFraction { get; set; } = 0.02;

    /// <summary>
    /// With a model that predicts its uncertainty: the share of tissue patches that must be judged on one side of the
    /// threshold (and outnumber the other side) for InFocus or OutOfFocus; below it the tile is Indeterminate.
    /// </summary>
    [Range(0.5, 1.0)]
    public double MinDecisivePatchFraction { get; set; } = 0.5;

    /// <summary>Pixel sizes a brightfield scan can have (finer than 0.01 µm/px is past any optics; coarser than 100 is no slide scan).</summary>
    public const double MinMicronsPerPixel = 0.01, MaxMicronsPerPixel = 100.0;

    /// <summary>Pixel size of incoming tiles; null means "already at the model's pixel size".</summary>
    [Range(MinMicronsPerPixel, MaxMicronsPerPixel)]
    public double? InputMicronsPerPixel { get; set; }
}
