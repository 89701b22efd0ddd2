namespace FocusFunctions.Core.Processing;

/// <summary>Metadata written on tiles moved to rejected or quarantine.</summary>
public static class MetadataKeys
{
    public const string Verdict = "focus_verdict";
    public const string DefocusMicrons = "defocus_um";
    public const string ModelName = "model_name";
    public const string ModelVersion = "model_version";
    public const string SourceETag = "source_etag";
    public const string ScoredAt = "scored_at";
}
