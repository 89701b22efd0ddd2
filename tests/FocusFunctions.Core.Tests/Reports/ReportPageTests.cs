using System.Text.RegularExpressions;
using FocusFunctions.Core.Maps;
using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Reports;
using static FocusFunctions.Core.Tests.Reports.ReportSamples;

namespace FocusFunctions.Core.Tests.Reports;

public sealed class ReportPageTests
{
    [Fact]
    public void Render_MixedSlide_OneButtonPerTile_PlacedOnesAtTheirGridArea()
    {
        string html = ReportPage.Render(Mixed());

        Assert.Equal(6, Regex.Matches(html, "<button type=\"button\" class=\"tile ").Count);
        Assert.Contains("data-x=\"1\" data-y=\"1\" style=\"grid-area:2/2;", html);
        Assert.Contains("id=\"tile-gallery\"", html);
        Assert.Single(Regex.Matches(html, "<span class=\"mark\""));
    }

    [Fact]
    public void Render_AnyReport_RefusesEveryRequestAndReferencesNothingOutside()
    {
        string html = ReportPage.Render(Mixed() with { Tiles = [Tile("s/x0_y0.png", 0, 0, FocusVerdict.InFocus, 0.1, thumbnail: [0xFF, 0xD8])] });

        Assert.Contains($"content=\"{ReportPage.ContentSecurityPolicy}\"", html);
        Assert.DoesNotMatch(new Regex("(src|href)=\"(?!data:|#)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("{{", html);
        Assert.Contains("src=\"data:image/jpeg;base64,/9g=\"", html);
    }

    [Fact]
    public void Render_TileNamesWithMarkupAndPlaceholders_WrittenAsText()
    {
        var report = Slide(Tile("s/<img src=x onerror=alert(1)>{{script}}.png", null, null, FocusVerdict.Failed, null, error: "</script><b>"));

        string html = ReportPage.Render(report);

        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("</script><b>", html);
        Assert.Equal(2, Regex.Matches(html, "<script").Count);
    }

    [Fact]
    public void Render_MixedSlide_VerdictCountsModelAndLists()
    {
        string html = ReportPage.Render(Mixed());

        Assert.Contains("<strong id=\"slide-verdict\">Rescan 1 tile, review 1</strong>", html);
        Assert.Contains("<tr data-verdict=\"InFocus\"><td>in focus</td><td class=\"num\">3</td></tr>", html);
        Assert.Contains("focusnet 1.1.0", html);
        Assert.Contains("2026-12-04 10:30 UTC", html);
        Assert.Matches("id=\"failed-list\".*slide-7/x002_y000.png</td><td>The PNG file is cut short.", html);
        Assert.Matches("id=\"rejected-list\".*slide-7/x000_y001.png</td><td>4.20 µm", html);
    }

    [Fact]
    public void Rescan_SameOrderAsTheApi_AndCsvOffered()
    {
        var report = Slide(
            Tile("s/x001_y001.png", 1, 1, FocusVerdict.OutOfFocus, 3.0),
            Tile("s/free.png", null, null, FocusVerdict.OutOfFocus, 5.0),
            Tile("s/x005_y000.png", 5, 0, FocusVerdict.OutOfFocus, 2.5),
            Tile("s/x000_y001.png", 0, 1, FocusVerdict.InFocus, 0.5));

        Assert.Equal(["s/x005_y000.png", "s/x001_y001.png", "s/free.png"], report.Rescan.Select(t => t.BlobName));
        string html = ReportPage.Render(report);
        var csv = System.Net.WebUtility.HtmlDecode(Regex.Match(html, "<textarea id=\"rescan-csv\"[^>]*>([^<]*)</textarea>").Groups[1].Value);
        Assert.Equal("blobName,tileX,tileY,defocusMicrons\ns/x005_y000.png,5,0,2.50\ns/x001_y001.png,1,1,3.00\ns/free.png,,,5.00\n", csv);
        Assert.Contains("download=\"s-rescan.csv\"".Replace("s-", "slide-7-", StringComparison.Ordinal), html);
    }

    [Fact]
    public void Legend_ViridisGradientAndThresholdInMicrons()
    {
        string legend = ReportPage.Legend(1.5);

        Assert.Contains(string.Join(", ", DefocusPalette.Stops.Select(DefocusPalette.Hex)), legend);
        Assert.Contains("1.5 µm (threshold)", legend);
        Assert.Contains("≥ 3 µm", legend);
    }

    [Fact]
    public void Histogram_ThresholdOnABinEdge_CountsEachSideAndClampsBeyond()
    {
        int[] counts = ReportHistogram.Count([0.0, 1.99, 2.0, 3.9, 40.0], threshold: 2.0);

        Assert.Equal(1, counts[0]);
        Assert.Equal(1, counts[9]);
        Assert.Equal(1, counts[10]);
        Assert.Equal(2, counts[19]);
    }

    [Fact]
    public void FromRows_ModelAndThresholdAsMostRowsSay_LatestScoreTime()
    {
        FocusResultEntity Row(string name, string verdict, string version, DateTimeOffset at) => new()
        {
            BlobName = name, Verdict = verdict, Location = "Tiles", ModelName = "focusnet", ModelVersion = version, ThresholdMicrons = 2.0,
            ScoredAtUtc = at, TileX = 0, TileY = 0, GridColumns = 2, GridRows = 1, PatchDefocus = "0.5,",
        };
        var early = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var report = SlideReport.FromRows("s", [Row("s/a.png", "InFocus", "1.1.0", early), Row("s/b.png", "InFocus", "1.1.0", early.AddHours(1)), Row("s/c.png", "Failed", "1.0.0", early)],
            new Dictionary<string, byte[]> { ["s/b.png"] = [1, 2, 3] });

        Assert.Equal(("focusnet", "1.1.0", 2.0, early.AddHours(1)), (report.ModelName, report.ModelVersion, report.ThresholdMicrons, report.ScoredAtUtc));
        Assert.Equal([null, [1, 2, 3], null], report.Tiles.Select(t => t.Thumbnail));
        Assert.Equal([0.5, null], report.Tiles[0].PatchDefocus);
    }

    [Fact]
    public void FromRows_IndeterminateRow_IntervalReasonAndUndecidedPatchesReachThePage()
    {
        var row = new FocusResultEntity
        {
            BlobName = "s/a.jpg", Verdict = "Indeterminate", Location = "Tiles", ModelName = "focus-model", ModelVersion = "1.1.0-scale-fixture",
            ThresholdMicrons = 2.0, TileX = 0, TileY = 0, GridColumns = 2, GridRows = 1, PatchDefocus = "9.5,0.4", PatchJudgements = "UI",
            DefocusMicrons = 5, DefocusLowMicrons = 0.2, DefocusHighMicrons = 10.4, VerdictReason = "1 of 2 tissue patches could be judged",
        };

        var report = SlideReport.FromRows("s", [row], new Dictionary<string, byte[]>());
        string html = ReportPage.Render(report);

        Assert.Equal([PatchJudgement.Undecided, PatchJudgement.In], report.Tiles[0].PatchJudgements!);
        Assert.Equal((SlideVerdictKind.Review, 1), (report.Verdict.Kind, report.Verdict.ReviewCount));
        Assert.Contains("\"low\":0.2,\"high\":10.4,\"reason\":\"1 of 2 tissue patches could be judged\"", html);
        Assert.Contains("\"undecided\":[true,false]", html);
        Assert.Contains("id=\"indeterminate-list\"", html);
        Assert.Contains("0.20–10.40 µm", html);
        Assert.Contains("class=\"swatch striped\"", html);
    }
}
