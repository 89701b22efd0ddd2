using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FocusFunctions.Core.Evaluation;

namespace FocusFunctions.Cli;

/// <summary>Prints the measures of <c>focus evaluate</c>: a table for people, or one JSON object for programs.</summary>
public static class EvaluationWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Write(EvaluateSettings settings, LabelSet labels, EvaluationReport report, IReadOnlyList<EvaluatedTile> tiles, TextWriter output)
    {
        var summary = Summary.From(labels, report, settings.PerTile ? tiles.Select(TileRow.From).ToList() : null);
        if (settings.Format == OutputFormat.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(summary, Json));
            return;
        }

        if (summary.Tiles is { } rows)
        {
            WriteTileTable(rows, output);
        }

        WriteTable(summary, output);
    }

    /// <summary>The JSON summary's keys; null where the labels cannot give a measure.</summary>
    public sealed record Summary(
        string Layout, LabelKind LabelKind, int N, int NScored, int Excluded, IReadOnlyDictionary<FocusVerdict, int> Verdicts,
        double ThresholdMicrons, int? InFocus, int? OutOfFocus,
        double? RocAuc, double[]? RocAucCi95, double? PrAuc, double[]? PrAucCi95,
        double? BalancedAccuracy, Counts? Confusion, double? BestThresholdMicrons, double? BestBalancedAccuracy,
        double? Spearman, double[]? SpearmanCi95, double? Pearson, double[]? PearsonCi95, double? Mae,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TileRow>? Tiles)
    {
        public static Summary From(LabelSet labels, EvaluationReport r, IReadOnlyList<TileRow>? tiles) => new(
            labels.Layout, r.LabelKind, r.Count, r.ScoredCount, r.Count - r.ScoredCount, r.Verdicts,
            r.ThresholdMicrons, r.InFocusCount, r.OutOfFocusCount,
            Round(r.RocAuc), Ci(r.RocAucInterval), Round(r.PrAuc), Ci(r.PrAucInterval),
            Round(r.Confusion is { } c && r.RocAuc is not null ? c.BalancedAccuracy : null), Counts.From(r.Confusion),
            Round(r.BestThresholdMicrons), Round(r.BestBalancedAccuracy),
            Round(r.Spearman), Ci(r.SpearmanInterval), Round(r.Pearson), Ci(r.PearsonInterval), Round(r.MeanAbsoluteErrorMicrons),
            tiles);

        private static double[]? Ci(Interval? interval) => interval is { } i ? [Math.Round(i.Low, 4), Math.Round(i.High, 4)] : null;
    }

    /// <summary>The confusion matrix as counts only (its rates are NaN with one class, which JSON cannot carry).</summary>
    public sealed record Counts(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
    {
        public static Counts? From(ConfusionMatrix? m) => m is { } c ? new(c.TruePositives, c.FalsePositives, c.TrueNegatives, c.FalseNegatives) : null;
    }

    public sealed record TileRow(string Path, double Label, string Verdict, double? DefocusMicrons, string? Error)
    {
        public static TileRow From(EvaluatedTile t) =>
            new(t.Tile.Path, t.Tile.Label, t.Score.Verdict.ToString(), Round(t.Score.DefocusMicrons), t.Score.Error);
    }

    private static void WriteTable(Summary s, TextWriter output)
    {
        var verdicts = string.Join(", ", s.Verdicts.Select(v => $"{v.Key} {v.Value}"));
        string labelKind = s.LabelKind switch
        {
            LabelKind.Binary => "in/out",
            LabelKind.Microns => "|defocus| in µm",
            _ => "|z| in slices (give --z-step-microns for µm)",
        };
        output.WriteLine($"labels            {s.Layout}, {labelKind}");
        output.WriteLine($"tiles             {s.N}: {verdicts}; {s.NScored} scored, {s.Excluded} without a defocus (not in any measure)");
        if (s.Confusion is { } c)
        {
            output.WriteLine($"classes           {s.InFocus} in focus, {s.OutOfFocus} out of focus" + (s.LabelKind == LabelKind.Microns ? $" (label above {F(s.ThresholdMicrons, "0.00")} µm)" : ""));
            output.WriteLine($"at {F(s.ThresholdMicrons, "0.00")} µm        out called out {c.TruePositives}, in called out {c.FalsePositives}, in called in {c.TrueNegatives}, out called in {c.FalseNegatives}; balanced accuracy {Opt(s.BalancedAccuracy)}");
        }

        Line(output, "ROC-AUC", s.RocAuc, s.RocAucCi95);
        Line(output, "PR-AUC", s.PrAuc, s.PrAucCi95);
        if (s.BestThresholdMicrons is double best)
        {
            output.WriteLine($"best threshold    {F(best, "0.000")} µm, balanced accuracy {Opt(s.BestBalancedAccuracy)}  →  {SettingsFile.RejectAboveKey}={SettingsFile.Format(best)}");
        }

        Line(output, "Spearman", s.Spearman, s.SpearmanCi95);
        Line(output, "Pearson", s.Pearson, s.PearsonCi95);
        if (s.Mae is double mae)
        {
            output.WriteLine($"MAE               {F(mae, "0.000")} µm");
        }
    }

    private static void Line(TextWriter output, string name, double? value, double[]? ci)
    {
        if (value is not null)
        {
            output.WriteLine($"{name,-17} {Opt(value)}" + (ci is null ? "" : $"  (95 % CI {F(ci[0], "0.000")} – {F(ci[1], "0.000")})"));
        }
    }

    private static void WriteTileTable(IReadOnlyList<TileRow> rows, TextWriter output)
    {
        int width = Math.Clamp(rows.Max(r => r.Path.Length), 4, 80);
        output.WriteLine($"{"TILE".PadRight(width)}  {"LABEL",7}  {"VERDICT",-10}  {"DEFOCUS µm",10}  NOTE");
        foreach (var r in rows)
        {
            string path = r.Path.Length > width ? "…" + r.Path[^(width - 1)..] : r.Path.PadRight(width);
            output.WriteLine($"{path}  {F(r.Label, "0.##"),7}  {r.Verdict,-10}  {(r.DefocusMicrons is double d ? F(d, "0.00") : "-"),10}  {r.Error}");
        }

        output.WriteLine();
    }

    private static string Opt(double? value) => value is double v ? F(v, "0.000") : "-";

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 4);
}
