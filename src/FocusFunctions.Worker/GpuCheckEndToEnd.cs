using System.Globalization;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Scoring;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FocusFunctions.Worker;

/// <summary>An encoded tile held in memory, so that storage and disk stay out of the figures.</summary>
internal sealed record GpuCheckTile(string Name, byte[] Bytes);

internal static class GpuCheckTiles
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"];

    public static IReadOnlyList<GpuCheckTile> Load(string folder)
    {
        var tiles = Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .Select(f => new GpuCheckTile(Path.GetFileName(f), File.ReadAllBytes(f)))
            .ToList();
        return tiles.Count > 0 ? tiles : throw new ArgumentException($"no image tiles in '{folder}'.");
    }
}

/// <summary>
/// The worker's path without storage: batches of tiles are decoded and prepared on the decode threads (the worker's
/// download parallelism), and all of a batch's patches go through the model in shared runs (<see cref="TileScorer.ScorePrepared"/>).
/// </summary>
internal sealed class GpuCheckEndToEnd(GpuCheckSettings settings, IReadOnlyList<GpuCheckTile> tiles, TextWriter output)
{
    private bool _headerWritten;

    public void MeasureDecode(OnnxFocusModel model, GpuCheckReport report)
    {
        var scorer = Scorer(model);
        PrepareAll(scorer, tiles.Take(settings.DecodeThreads).ToList());
        long patches = 0;
        int count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < settings.Seconds || count < tiles.Count)
        {
            foreach (var chunk in tiles.Chunk(settings.TileBatch))
            {
                patches += PrepareAll(scorer, chunk).Sum(p => p?.ScoredPatches.Length ?? 0);
                count += chunk.Length;
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        report.Decode = new DecodeRow(settings.DecodeThreads, count / seconds, patches / seconds);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decode + prepare alone: {report.Decode.TilesPerSecond:F1} tiles/s, {report.Decode.PatchesPerSecond:F0} patches/s ({settings.DecodeThreads} threads)"));
    }

    /// <summary>
    /// As the worker runs: the decode threads prepare a batch of tiles, then the model scores its patches; with --overlap
    /// the next batch is prepared while the model scores this one (measured on an H200: on shared cores the decoders
    /// starve the writing of the model's input, docs/performance.md). The model's share is its busy time over the wall
    /// time; tiles/s against <see cref="MeasureDecode"/> says which side limits.
    /// </summary>
    public void Measure(OnnxFocusModel model, int batch, GpuCheckReport report)
    {
        var scorer = Scorer(model);
        scorer.ScorePrepared(PrepareAll(scorer, tiles.Take(settings.TileBatch).ToList()).OfType<PreparedTile>().ToList());
        long patches = 0;
        int count = 0;
        var scoring = new Stopwatch();
        var chunks = tiles.Chunk(settings.TileBatch).ToArray();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < settings.Seconds || count < tiles.Count)
        {
            List<PreparedTile> Prepare(int c) => c < chunks.Length ? PrepareAll(scorer, chunks[c]).OfType<PreparedTile>().ToList() : [];
            var preparing = settings.Overlap ? Task.Run(() => Prepare(0)) : Task.FromResult(Prepare(0));
            for (int c = 0; c < chunks.Length; c++)
            {
                var prepared = preparing.GetAwaiter().GetResult();
                int next = c + 1;
                preparing = settings.Overlap ? Task.Run(() => Prepare(next)) : Task.FromResult(Prepare(next));
                scoring.Start();
                scorer.ScorePrepared(prepared);
                scoring.Stop();
                patches += prepared.Sum(p => p.ScoredPatches.Length);
                count += chunks[c].Length;
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        long? memory = model.Provider == "CUDA" ? GpuMemory.UsedMiB() : null;
        var row = new EndToEndRow(model.Provider, batch, settings.DecodeThreads, count, count / seconds, patches / seconds,
            scoring.Elapsed.TotalSeconds / seconds, memory);
        report.EndToEnd.Add(row);
        if (!_headerWritten)
        {
            output.WriteLine(settings.Overlap
                ? "end to end (decode threads prepare the next batch of tiles while the model scores this one's patches):"
                : "end to end (decode threads prepare a batch of tiles, then the model scores all its patches, as the worker does):");
            output.WriteLine("provider  batch   tiles/s   patches/s   model busy share  GPU memory used (MiB)");
            _headerWritten = true;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{row.Provider,-8}  {batch,5}   {row.TilesPerSecond,7:F1}   {row.PatchesPerSecond,9:F0}   {row.InferenceShare,15:P0}   {(memory is null ? "n/a" : memory.Value.ToString(CultureInfo.InvariantCulture)),21}"));
    }

    /// <summary>Every tile scored by both providers from the same prepared tensors.</summary>
    public void CompareReadings(OnnxFocusModel cuda, OnnxFocusModel cpu, GpuCheckReport report)
    {
        var onGpu = Scorer(cuda);
        var onCpu = Scorer(cpu);
        double maxTile = 0, maxPatch = 0, maxInterval = 0;
        int scoredTiles = 0, scoredPatches = 0, verdicts = 0;
        foreach (var chunk in tiles.Chunk(settings.TileBatch))
        {
            var prepared = PrepareAll(onCpu, chunk).OfType<PreparedTile>().ToList();
            var a = onGpu.ScorePrepared(prepared);
            var b = onCpu.ScorePrepared(prepared);
            for (int i = 0; i < prepared.Count; i++)
            {
                verdicts += a[i].Verdict == b[i].Verdict ? 0 : 1;
                if (a[i].DefocusMicrons is { } x && b[i].DefocusMicrons is { } y)
                {
                    maxTile = Math.Max(maxTile, Math.Abs(x - y));
                    scoredTiles++;
                }

                foreach (var (p, q) in a[i].Grid!.Patches.Zip(b[i].Grid!.Patches))
                {
                    if (p.DefocusMicrons is { } u && q.DefocusMicrons is { } v)
                    {
                        maxPatch = Math.Max(maxPatch, Math.Abs(u - v));
                        scoredPatches++;
                    }

                    // The scale output, read through the CUDA IoBinding path, against the CPU's: via the interval ends.
                    if (p.DefocusHighMicrons is { } h && q.DefocusHighMicrons is { } k && p.DefocusLowMicrons is { } l && q.DefocusLowMicrons is { } m)
                    {
                        maxInterval = Math.Max(maxInterval, Math.Max(Math.Abs(h - k), Math.Abs(l - m)));
                    }
                }
            }
        }

        double? interval = cuda.PredictsScale ? maxInterval : null;
        report.Agreement = new AgreementRow(scoredTiles, scoredPatches, maxTile, maxPatch, verdicts, interval);
        string intervalText = interval is { } d ? string.Create(CultureInfo.InvariantCulture, $", {d:F4} µm per patch interval end") : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CUDA vs CPU over {scoredTiles} scored tiles, {scoredPatches} patches: max difference {maxTile:F4} µm per tile, {maxPatch:F4} µm per patch{intervalText}; verdicts differing: {verdicts}"));
    }

    private PreparedTile?[] PrepareAll(TileScorer scorer, IReadOnlyList<GpuCheckTile> chunk)
    {
        var prepared = new PreparedTile?[chunk.Count];
        Parallel.For(0, chunk.Count, new ParallelOptions { MaxDegreeOfParallelism = settings.DecodeThreads }, i =>
        {
            try
            {
                using var stream = new MemoryStream(chunk[i].Bytes, writable: false);
                prepared[i] = scorer.Prepare(stream);
            }
            catch (TileDecodeException)
            {
                // Unusable tiles become Failed rows in the worker; here they are simply not scored.
            }
        });
        return prepared;
    }

    private static TileScorer Scorer(OnnxFocusModel model) =>
        new(model, Options.Create(new ScoringOptions()), Options.Create(new DecodeOptions()), NullLogger<TileScorer>.Instance);
}
