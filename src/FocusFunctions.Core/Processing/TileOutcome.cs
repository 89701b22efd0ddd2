using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// What processing did with one blob. <paramref name="Reason"/>: why it was not processed or moved as usual;
/// <paramref name="VerdictReason"/>: why the verdict is what it is (Indeterminate); the interval: from models with a scale.
/// </summary>
public sealed record TileOutcome(string BlobName, OutcomeKind Kind, FocusVerdict? Verdict, TileLocation? Location, double? DefocusMicrons, string? Reason = null,
    double? DefocusLowMicrons = null, double? DefocusHighMicrons = null, string? VerdictReason = null);

public enum OutcomeKind
{
    /// <summary>Scored now (and moved if due).</summary>
    Processed,

    /// <summary>An earlier, interrupted run had scored it; this run finished the move.</summary>
    Resumed,

    /// <summary>This blob version already has a final result; nothing changed.</summary>
    Duplicate,

    /// <summary>Nothing to do, e.g. the blob no longer exists.</summary>
    Skipped,

    /// <summary>Storage kept failing (batch runs only; the tile stays pending for the next run).</summary>
    Failed,
}
