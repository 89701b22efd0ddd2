using System.Globalization;
using FocusFunctions.Core.Processing;

namespace FocusFunctions.Cli;

/// <summary>What <c>focus process</c> prints: a line per tile as batches finish, then counts per verdict.</summary>
internal static class OutcomeTable
{
    private const string Format = "{0,-10} {1,-13} {2,10} {3,-12} {4,-10} {5}";

    public static void WriteHeader(TextWriter output) =>
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "OUTCOME", "VERDICT", "DEFOCUS_UM", "INTERVAL_UM", "LOCATION", "BLOB"));

    public static void Write(TextWriter output, IEnumerable<TileOutcome> outcomes)
    {
        foreach (var o in outcomes)
        {
            string defocus = o.DefocusMicrons?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";
            string blob = o.Reason is null || o.Kind == OutcomeKind.Duplicate ? o.BlobName : $"{o.BlobName} ({o.Reason})";
            if (o.VerdictReason is not null)
            {
                blob += $" ({o.VerdictReason})";
            }

            output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, o.Kind, o.Verdict?.ToString() ?? "-", defocus,
                FocusDecision.FormatInterval(o.DefocusLowMicrons, o.DefocusHighMicrons), o.Location?.ToString() ?? "-", blob));
        }
    }

    public static void WriteSummary(TextWriter output, IReadOnlyCollection<TileOutcome> outcomes)
    {
        var verdicts = Enum.GetValues<FocusVerdict>()
            .Select(v => $"{v} {outcomes.Count(o => o.Verdict == v && o.Kind is OutcomeKind.Processed or OutcomeKind.Resumed)}");
        output.WriteLine();
        output.WriteLine($"Processed {outcomes.Count(o => o.Kind is OutcomeKind.Processed or OutcomeKind.Resumed)} tile(s): {string.Join(", ", verdicts)}.");
        output.WriteLine(
            $"Already done {outcomes.Count(o => o.Kind == OutcomeKind.Duplicate)}, skipped {outcomes.Count(o => o.Kind == OutcomeKind.Skipped)}, " +
            $"failed (will be retried) {outcomes.Count(o => o.Kind == OutcomeKind.Failed)}.");
    }
}
