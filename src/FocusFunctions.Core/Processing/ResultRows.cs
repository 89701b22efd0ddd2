using System.Globalization;
using System.Text;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Processing;

/// <summary>Turns a tile score into its result row.</summary>
public static class ResultRows
{
    /// <summary>Table properties hold at most 64 KiB, i.e. 32K UTF-16 characters; a longer patch list is left out.</summary>
    public const int MaxPatchDefocusLength = 32 * 1024;

    /// <summary>The one mapping from a score to the stored row, which the HTTP API and <c>focus results</c> show as it is.</summary>
    public static FocusResultEntity Create(string blobName, TileKey key, string sourceETag, TileScore score, TileStage stage,
        TileLocation location, DateTimeOffset scoredAt, long durationMs) => new()
        {
            PartitionKey = key.PartitionKey,
            RowKey = key.RowKey,
            BlobName = blobName,
            SourceETag = sourceETag,
            Stage = stage.ToString(),
            Verdict = score.Verdict.ToString(),
            VerdictReason = score.VerdictReason,
            Location = location.ToString(),
            DefocusMicrons = score.DefocusMicrons,
            DefocusLowMicrons = Round(score.DefocusLowMicrons),
            DefocusHighMicrons = Round(score.DefocusHighMicrons),
            WorstPatchMicrons = score.WorstPatchMicrons,
            OutOfFocusFraction = score.OutOfFocusFraction,
            TissueFraction = score.TissueFraction,
            PatchCount = score.PatchCount,
            Width = score.Width,
            Height = score.Height,
            MicronsPerPixel = score.MicronsPerPixel,
            ThresholdMicrons = score.ThresholdMicrons,
            ModelName = score.ModelName,
            ModelVersion = score.ModelVersion,
            Error = score.Error,
            ScoredAtUtc = scoredAt,
            DurationMs = durationMs,
            TileX = key.TileX,
            TileY = key.TileY,
            GridColumns = score.Grid?.Columns,
            GridRows = score.Grid?.Rows,
            PatchSize = score.Grid?.PatchSize,
            PatchDefocus = score.Grid is { } grid ? FormatPatchDefocus(grid) : null,
            PatchJudgements = score.Grid is { } patches ? FormatPatchJudgements(patches, score.ThresholdMicrons) : null,
        };

    /// <summary>Interval ends are kept to 0.001 µm, as the CLI prints them (float noise beyond is no information).</summary>
    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    /// <summary>Letters per patch: <see cref="FocusResultEntity.PatchJudgements"/>; null when no patch has an interval.</summary>
    public static string? FormatPatchJudgements(PatchGrid grid, double thresholdMicrons)
    {
        if (!grid.Patches.Any(p => p.DefocusLowMicrons is not null) || grid.Patches.Count > MaxPatchDefocusLength)
        {
            return null;
        }

        return string.Concat(grid.Patches.Select(p => p.Judgement(thresholdMicrons) switch
        {
            PatchJudgement.In => 'I',
            PatchJudgement.Out => 'O',
            PatchJudgement.Undecided => 'U',
            _ => '.',
        }));
    }

    /// <summary><see cref="FocusResultEntity.PatchJudgements"/> read back (an empty list for none).</summary>
    public static IReadOnlyList<PatchJudgement?> ParsePatchJudgements(string? judgements) => string.IsNullOrEmpty(judgements)
        ? []
        : judgements.Select(c => c switch
        {
            'I' => PatchJudgement.In,
            'O' => PatchJudgement.Out,
            'U' => PatchJudgement.Undecided,
            _ => (PatchJudgement?)null,
        }).ToList();

    /// <summary>
    /// Where a verdict sends a tile: out of focus to rejected, unreadable to quarantine, the rest stays (Indeterminate
    /// too: a tile the model cannot judge is no reason to rescan, and a person finds it by its verdict).
    /// </summary>
    public static TileLocation DestinationFor(FocusVerdict verdict) => verdict switch
    {
        FocusVerdict.OutOfFocus => TileLocation.Rejected,
        FocusVerdict.Failed => TileLocation.Quarantine,
        FocusVerdict.InFocus or FocusVerdict.Indeterminate or FocusVerdict.NoTissue => TileLocation.Tiles,
        _ => TileLocation.Tiles,
    };

    public static string? FormatPatchDefocus(PatchGrid grid)
    {
        var builder = new StringBuilder(grid.Patches.Count * 5);
        for (int i = 0; i < grid.Patches.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            if (grid.Patches[i].DefocusMicrons is { } d)
            {
                builder.Append(Math.Round(d, 2).ToString("0.##", CultureInfo.InvariantCulture));
            }
        }

        return builder.Length <= MaxPatchDefocusLength ? builder.ToString() : null;
    }

    public static double?[] ParsePatchDefocus(string? patchDefocus)
    {
        if (string.IsNullOrEmpty(patchDefocus))
        {
            return [];
        }

        return patchDefocus.Split(',')
            .Select(s => s.Length == 0 ? (double?)null : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture))
            .ToArray();
    }
}
