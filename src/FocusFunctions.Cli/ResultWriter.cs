using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FocusFunctions.Cli;

/// <summary>Prints results as a table for people, or as JSON lines / CSV for programs (never mixed with progress).</summary>
public abstract class ResultWriter(TextWriter output)
{
    protected TextWriter Output { get; } = output;

    public static ResultWriter For(OutputFormat format, TextWriter output) => format switch
    {
        OutputFormat.Json => new JsonLines(output),
        OutputFormat.Csv => new Csv(output),
        _ => new Table(output),
    };

    public virtual void Begin()
    {
    }

    public abstract void Write(string path, TileScore score);

    public virtual void End()
    {
    }

    /// <summary>
    /// The fields every format carries, in one place: JSON and CSV take their columns from this record's properties (in
    /// order, camelCase), so a new column is one property here and its line in <see cref="From"/>.
    /// </summary>
    public sealed record Row(
        string Path,
        string Verdict,
        double? DefocusMicrons,
        double? DefocusLowMicrons,
        double? DefocusHighMicrons,
        double? WorstPatchMicrons,
        double TissueFraction,
        int PatchCount,
        double OutOfFocusFraction,
        int Width,
        int Height,
        double MicronsPerPixel,
        double ThresholdMicrons,
        string? Model,
        string? Error,
        string? VerdictReason)
    {
        public static Row From(string path, TileScore s) => new(
            path,
            s.Verdict.ToString(),
            Round(s.DefocusMicrons),
            Round(s.DefocusLowMicrons),
            Round(s.DefocusHighMicrons),
            Round(s.WorstPatchMicrons),
            Math.Round(s.TissueFraction, 4),
            s.PatchCount,
            Math.Round(s.OutOfFocusFraction, 4),
            s.Width,
            s.Height,
            s.MicronsPerPixel,
            s.ThresholdMicrons,
            s.ModelName is null ? null : $"{s.ModelName} {s.ModelVersion}",
            s.Error,
            s.VerdictReason);

        private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 3);
    }

    private sealed class JsonLines(TextWriter output) : ResultWriter(output)
    {
        private static readonly JsonSerializerOptions Options = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        public override void Write(string path, TileScore score) =>
            Output.WriteLine(JsonSerializer.Serialize(Row.From(path, score), Options));
    }

    private sealed class Csv(TextWriter output) : ResultWriter(output)
    {
        // Declaration order (GetProperties promises none): the columns are the JSON's, in the JSON's order.
        private static readonly PropertyInfo[] Columns = [.. typeof(Row).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken)];

        public override void Begin() =>
            Output.WriteLine(string.Join(',', Columns.Select(c => JsonNamingPolicy.CamelCase.ConvertName(c.Name))));

        public override void Write(string path, TileScore score)
        {
            var row = Row.From(path, score);
            Output.WriteLine(string.Join(',', Columns.Select(c => Core.CsvField.Quote(Field(c.GetValue(row))))));
        }

        private static string Field(object? value) => value switch
        {
            null => "",
            double number => number.ToString("0.####", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    private sealed class Table(TextWriter output) : ResultWriter(output)
    {
        private readonly List<Row> _rows = [];

        public override void Write(string path, TileScore score) => _rows.Add(Row.From(path, score));

        public override void End()
        {
            int pathWidth = Math.Clamp(_rows.Count == 0 ? 4 : _rows.Max(r => r.Path.Length), 4, 80);
            Output.WriteLine($"{"TILE".PadRight(pathWidth)}  {"VERDICT",-13}  {"DEFOCUS µm",10}  {"INTERVAL µm",11}  {"WORST µm",8}  {"TISSUE",6}  {"PATCHES",7}  {"OOF",5}  NOTE");
            foreach (var r in _rows)
            {
                string path = r.Path.Length > pathWidth ? "…" + r.Path[^(pathWidth - 1)..] : r.Path.PadRight(pathWidth);
                Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{path}  {r.Verdict,-13}  {Format(r.DefocusMicrons),10}  {FocusDecision.FormatInterval(r.DefocusLowMicrons, r.DefocusHighMicrons),11}  {Format(r.WorstPatchMicrons),8}  {r.TissueFraction,6:P0}  {r.PatchCount,7}  {r.OutOfFocusFraction,5:P0}  {r.Error ?? r.VerdictReason}"));
            }

            // Every verdict, in the order focus process prints them, so that a missing kind reads as 0, not as forgotten.
            var counts = Enum.GetNames<FocusVerdict>().Select(v => $"{v} {_rows.Count(r => r.Verdict == v)}");
            Output.WriteLine($"{_rows.Count} tiles: {string.Join(", ", counts)}");
        }

        private static string Format(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";
    }
}
