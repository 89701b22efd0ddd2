using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using Xunit.Abstractions;

namespace FocusFunctions.Core.Tests.Imaging;

/// <summary>
/// Issue 24 item 8: mutated PNG, JPEG, TIFF and BMP bytes through the decoder and the scorer. Every case must end in
/// a verdict or Failed (never an exception), the decoder may throw only <see cref="TileDecodeException"/>, and no case
/// may allocate more than a generous bound. The CI run is a fixed number of cases (about a minute on 2 cores); a long
/// run sets FOCUS_FUZZ_ITERATIONS (and FOCUS_FUZZ_SEED) — docs/fuzzing.md.
/// </summary>
public class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int CiIterations = 12_000;
    private const long AllocationBound = 256L * 1024 * 1024;

    private static readonly DecodeOptions Decoding = new() { MaxInputPixels = 20_000_000 };

    [Fact]
    public void Score_MutatedImages_AlwaysGiveAVerdictOrFailedWithinTheMemoryBound()
    {
        int iterations = int.TryParse(Environment.GetEnvironmentVariable("FOCUS_FUZZ_ITERATIONS"), out int n) ? n : CiIterations;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("FOCUS_FUZZ_SEED"), out int s) ? s : 24;
        var seeds = SeedFiles();
        var mutator = new ByteMutator(seed);
        var scorer = new TileScorer(new FakeFocusModel(_ => 1f, patchSize: 32), Options.Create(new ScoringOptions()), Options.Create(Decoding), NullLogger<TileScorer>.Instance);
        var limits = DecodeLimits.From(Decoding);
        var outcomes = new Dictionary<string, int>();
        var problems = new List<string>();
        long largest = 0;
        for (int i = 0; i < iterations; i++)
        {
            var (format, original) = seeds[i % seeds.Count];
            var (kind, bytes) = mutator.Mutate(original);
            string label = $"case {i} ({format}, {kind}, {bytes.Length:N0} bytes)";

            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                TileDecoder.Decode(bytes, limits);
            }
            catch (TileDecodeException)
            {
            }
            catch (Exception ex)
            {
                problems.Add($"{label}: the decoder threw {ex.GetType().Name}: {ex.Message} at {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }

            var score = scorer.Score(new MemoryStream(bytes));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            largest = Math.Max(largest, allocated);
            if (allocated > AllocationBound)
            {
                problems.Add($"{label}: allocated {allocated:N0} bytes");
            }

            if (score.Verdict == FocusVerdict.Failed && string.IsNullOrWhiteSpace(score.Error))
            {
                problems.Add($"{label}: Failed without an error");
            }

            string outcome = $"{format} {score.Verdict}";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine($"{iterations} cases, seed {seed}, largest allocation {largest:N0} bytes");
        foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key))
        {
            output.WriteLine($"  {outcome}: {count}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    /// <summary>Small images made here, in each format and in the encodings scanners use.</summary>
    private static List<(string Format, byte[] Bytes)> SeedFiles()
    {
        using var texture = TestImages.Texture(96, 64, seed: 3);
        return
        [
            ("png", TestImages.Encode(texture, new PngEncoder())),
            ("png-palette", TestImages.Encode(texture, new PngEncoder { ColorType = PngColorType.Palette })),
            ("jpeg-444", TestImages.Encode(texture, new JpegEncoder { Quality = 85, ColorType = JpegColorType.YCbCrRatio444 })),
            ("jpeg-420", TestImages.Encode(texture, new JpegEncoder { Quality = 85, ColorType = JpegColorType.YCbCrRatio420 })),
            ("jpeg-progressive", JpegIntegrityTests.Encode("pil-progressive")),
            ("jpeg-restart", JpegIntegrityTests.Encode("pil-restart")),
            ("tiff", TestImages.Encode(texture, new TiffEncoder())),
            ("tiff-deflate", TestImages.Encode(texture, new TiffEncoder { Compression = TiffCompression.Deflate })),
            ("tiff-zstack", TiffWriter.MultiPage([TestImages.ToRgb(texture), TestImages.ToRgb(texture)])),
            ("bmp", TestImages.Encode(texture, new BmpEncoder())),
        ];
    }
}
