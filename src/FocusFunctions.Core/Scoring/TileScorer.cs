using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;

namespace FocusFunctions.Core.Scoring;

/// <summary>
/// Scores one tile: decode → resample to the model's µm/px → patch grid → tissue mask → batched inference on tissue
/// patches → median and verdict. Stateless apart from the shared model, so one instance serves every thread.
/// </summary>
public sealed partial class TileScorer(IFocusModel model, IOptions<ScoringOptions> options, IOptions<DecodeOptions> decoding, ILogger<TileScorer> logger)
{
    // Upsampling by more than this reads as defocus by itself (~1 µm at 2x in the model card's per-image results): warn once.
    private const double CoarseInputTolerance = 1.1;

    /// <summary>What to do about tiles coarser than the model (one wording for the log and the CLI's warning).</summary>
    public const string CoarseInputAdvice =
        "they are upsampled, and the upsampling alone reads as defocus (about 1 µm at twice the model's pixel size). Use a model trained at this pixel size.";

    private readonly ScoringOptions _options = options.Value;
    private readonly DecodeOptions _decoding = decoding.Value;
    private int _coarseInputWarned;

    public IFocusModel Model => model;

    public ScoringOptions Options => _options;

    /// <summary>What the decoder accepts (the processor refuses a blob over <see cref="DecodeOptions.MaxInputBytes"/> without downloading it).</summary>
    public DecodeOptions Decoding => _decoding;

    /// <summary>Scores a tile from its encoded bytes; a bad input gives a Failed score with a readable error, never an exception.</summary>
    public TileScore Score(Stream encoded, double? micronsPerPixel = null, double? thresholdMicrons = null)
    {
        PreparedTile prepared;
        try
        {
            prepared = Prepare(encoded, micronsPerPixel);
        }
        catch (TileDecodeException ex)
        {
            LogUndecodable(logger, ex.Message);
            return Failed(ex.Message, micronsPerPixel, thresholdMicrons);
        }

        return ScorePrepared([prepared], thresholdMicrons)[0];
    }

    /// <summary>Decodes and prepares a tile; throws <see cref="TileDecodeException"/> for input that is not a usable image.</summary>
    public PreparedTile Prepare(Stream encoded, double? micronsPerPixel = null)
    {
        try
        {
            var decoded = TileDecoder.Decode(encoded, DecodeLimits.From(_decoding));
            return Prepare(decoded.Image, micronsPerPixel);
        }
        catch (Exception ex) when (ex is not TileDecodeException && IsInputFault(ex))
        {
            // A fault the decoder did not foresee is still this file's failure: every host then writes its Failed row
            // and quarantines it, instead of retrying the same bytes until they poison the queue with no row.
            throw new TileDecodeException(FaultMessage(ex), ex);
        }
    }

    /// <summary>A fault of the scoring code on one input's data: running out of memory or being cancelled says nothing about the input.</summary>
    public static bool IsInputFault(Exception exception) =>
        exception is not (OperationCanceledException or OutOfMemoryException or InsufficientExecutionStackException);

    /// <summary>The Failed row's error for an unforeseen fault on one input (every host words it the same).</summary>
    public static string FaultMessage(Exception exception) => $"Scoring failed ({exception.GetType().Name}): {exception.Message}";

    public PreparedTile Prepare(RgbImage image, double? micronsPerPixel = null)
    {
        var card = model.Card;
        double inputMicrons = ResolveMicronsPerPixel(micronsPerPixel);
        double scale = inputMicrons / card.MicronsPerPixel;
        if ((double)image.Width * image.Height * scale * scale > _decoding.MaxInputPixels)
        {
            // Enlarging to the model's pixel size multiplies the pixels (and the patch tensor): bound it like the input.
            throw new TileDecodeException(
                $"At {inputMicrons} µm/px this {image.Width}x{image.Height} tile becomes about {image.Width * scale:F0}x{image.Height * scale:F0} pixels at the model's {card.MicronsPerPixel} µm/px, over the limit of {_decoding.MaxInputPixels:N0}.");
        }

        // Bounds the model time one tile can take (its pixels are bounded above).
        long patches = PatchesAlong(image.Width * scale, card.PatchSize) * PatchesAlong(image.Height * scale, card.PatchSize);
        if (patches > _decoding.MaxPatches)
        {
            throw new TileDecodeException(
                $"This {image.Width}x{image.Height} tile covers {patches:N0} patches of {card.PatchSize} px at the model's {card.MicronsPerPixel} µm/px, over the limit of {_decoding.MaxPatches:N0}.");
        }

        if (IsCoarserThanModel(inputMicrons, card.MicronsPerPixel) && Interlocked.Exchange(ref _coarseInputWarned, 1) == 0)
        {
            LogCoarserThanModel(logger, inputMicrons, card.MicronsPerPixel);
        }

        var resampled = Resampler.Resample(image, inputMicrons, card.MicronsPerPixel);
        var regions = PatchLayout.Cover(resampled.Width, resampled.Height, card.PatchSize);
        var tissue = TissueDetector.Map(resampled, regions);

        var patchTissue = new double[regions.Count];
        var scored = new List<int>(regions.Count);
        for (int i = 0; i < regions.Count; i++)
        {
            var r = regions[i];
            patchTissue[i] = tissue.Fraction(r.X, r.Y, r.Width, r.Height);
            if (patchTissue[i] >= _options.MinPatchTissueFraction)
            {
                scored.Add(i);
            }
        }

        int columns = regions.Max(r => r.Column) + 1, rows = regions.Max(r => r.Row) + 1;
        return new PreparedTile(image.Width, image.Height, inputMicrons, columns, rows, card.PatchSize, regions, patchTissue,
            scored.ToArray(), resampled, tissue.TotalFraction);
    }

    private static long PatchesAlong(double length, int patchSize) => Math.Max(1, (long)Math.Ceiling(length / patchSize));

    /// <summary>Scores prepared tiles, all their patches in shared model runs (the GPU worker's path).</summary>
    public IReadOnlyList<TileScore> ScorePrepared(IReadOnlyList<PreparedTile> tiles, double? thresholdMicrons = null)
    {
        int total = tiles.Sum(t => t.ScoredPatches.Length);
        var predictions = new float[total];
        var scales = model.ScaleBuffer(total);
        if (total > 0)
        {
            // Patch i of the run belongs to tile tileOf[i], where it is scored patch i − firstOf[tileOf[i]].
            var tileOf = new int[total];
            var firstOf = new int[tiles.Count];
            for (int t = 0, next = 0; t < tiles.Count; next += tiles[t].ScoredPatches.Length, t++)
            {
                firstOf[t] = next;
                tileOf.AsSpan(next, tiles[t].ScoredPatches.Length).Fill(t);
            }

            model.Predict(total, (i, destination) => tiles[tileOf[i]].WritePatch(i - firstOf[tileOf[i]], destination), predictions, scales);
        }

        var scores = new TileScore[tiles.Count];
        int offset = 0;
        for (int i = 0; i < tiles.Count; i++)
        {
            int count = tiles[i].ScoredPatches.Length;
            scores[i] = Aggregate(tiles[i], new ArraySegment<float>(predictions, offset, count),
                scales.Length > 0 ? new ArraySegment<float>(scales, offset, count) : (ArraySegment<float>?)null, thresholdMicrons ?? _options.RejectAboveMicrons);
            offset += count;
        }

        return scores;
    }

    /// <summary>True when tiles at this pixel size must be upsampled so far that the upsampling itself reads as defocus.</summary>
    public static bool IsCoarserThanModel(double inputMicronsPerPixel, double modelMicronsPerPixel) =>
        inputMicronsPerPixel > modelMicronsPerPixel * CoarseInputTolerance;

    public TileScore Failed(string error, double? micronsPerPixel = null, double? thresholdMicrons = null) => new()
    {
        Verdict = FocusVerdict.Failed,
        Error = error,
        MicronsPerPixel = micronsPerPixel ?? _options.InputMicronsPerPixel ?? model.Card.MicronsPerPixel,
        ThresholdMicrons = thresholdMicrons ?? _options.RejectAboveMicrons,
        ModelName = model.Card.Name,
        ModelVersion = model.Card.Version,
    };

    private double ResolveMicronsPerPixel(double? micronsPerPixel)
    {
        double value = micronsPerPixel ?? _options.InputMicronsPerPixel ?? model.Card.MicronsPerPixel;
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new TileDecodeException($"The pixel size {value} µm/px is not a positive number.");
        }

        if (value < ScoringOptions.MinMicronsPerPixel || value > ScoringOptions.MaxMicronsPerPixel)
        {
            // Resampled from an impossible pixel size a tile shrinks to a pixel or swells past every limit: refuse it.
            throw new TileDecodeException(
                $"The pixel size {value} µm/px is outside {ScoringOptions.MinMicronsPerPixel}–{ScoringOptions.MaxMicronsPerPixel} µm/px, the range of slide scans.");
        }

        return value;
    }

    private TileScore Aggregate(PreparedTile tile, ArraySegment<float> predictions, ArraySegment<float>? scales, double threshold)
    {
        var rule = new IntervalRule(model.Card.IntervalLevel, _options.MinDecisivePatchFraction);
        var decision = FocusDecision.Decide(predictions, scales, tile.TissueFraction, threshold, _options.MinTileTissueFraction, rule);
        var patches = new PatchScore[tile.Regions.Count];
        for (int i = 0; i < patches.Length; i++)
        {
            patches[i] = new PatchScore(tile.Regions[i].Column, tile.Regions[i].Row, tile.PatchTissue[i], null);
        }

        for (int n = 0; n < tile.ScoredPatches.Length; n++)
        {
            int at = tile.ScoredPatches[n];
            var (low, high) = scales is { } s ? FocusDecision.PatchInterval(predictions[n], s[n], rule) : ((float?)null, (float?)null);
            patches[at] = patches[at] with { DefocusMicrons = predictions[n], DefocusLowMicrons = low, DefocusHighMicrons = high };
        }

        var verdict = decision.Verdict;
        return new TileScore
        {
            Verdict = verdict,
            DefocusMicrons = decision.Defocus,
            DefocusLowMicrons = decision.DefocusLow,
            DefocusHighMicrons = decision.DefocusHigh,
            VerdictReason = decision.Reason,
            WorstPatchMicrons = decision.Worst,
            OutOfFocusFraction = decision.OutOfFocusFraction,
            TissueFraction = tile.TissueFraction,
            PatchCount = verdict == FocusVerdict.NoTissue ? 0 : tile.ScoredPatches.Length,
            Width = tile.Width,
            Height = tile.Height,
            MicronsPerPixel = tile.MicronsPerPixel,
            ThresholdMicrons = threshold,
            ModelName = model.Card.Name,
            ModelVersion = model.Card.Version,
            Grid = new PatchGrid(tile.Columns, tile.Rows, tile.PatchSize, patches),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tiles at {InputMicronsPerPixel} µm/px are coarser than the model's {ModelMicronsPerPixel} µm/px: " + CoarseInputAdvice + " (Logged once per process.)")]
    private static partial void LogCoarserThanModel(ILogger logger, double inputMicronsPerPixel, double modelMicronsPerPixel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Input is not a usable image: {Reason}")]
    private static partial void LogUndecodable(ILogger logger, string reason);
}
