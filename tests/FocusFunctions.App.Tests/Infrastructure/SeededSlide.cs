using Microsoft.Extensions.DependencyInjection;

namespace FocusFunctions.App.Tests.Infrastructure;

/// <summary>
/// A processed 3 x 2 slide for the HTTP API tests: two sharp tiles, one defocused, one background, one unreadable and
/// one grid position left empty, plus a tile of another slide that must never show up.
/// </summary>
public static class SeededSlide
{
    public const string Slide = "slide-h";

    public static readonly IReadOnlyDictionary<string, byte[]> Tiles = new Dictionary<string, byte[]>
    {
        [$"{Slide}/x000_y000.png"] = TestTiles.Sharp,
        [$"{Slide}/x001_y000.png"] = TestTiles.SecondSharp,
        [$"{Slide}/x002_y000.png"] = TestTiles.Text,
        [$"{Slide}/x000_y001.png"] = TestTiles.Defocused,
        [$"{Slide}/x001_y001.png"] = TestTiles.Background,
        ["other-slide/x000_y001.png"] = TestTiles.Defocused,
    };

    public static async Task<TestStorage> CreateAsync(AzuriteFixture azurite)
    {
        var storage = await TestStorage.CreateAsync(azurite);
        foreach (var (name, content) in Tiles)
        {
            await storage.UploadAsync(name, content);
        }

        await storage.Services.GetRequiredService<PendingTileSweeper>().SweepAsync(null, CancellationToken.None);
        return storage;
    }

    public const string ScaleSlide = "slide-u";

    /// <summary>
    /// A slide scored by the scale-output fixture model: a flat eosin wash (Indeterminate), the sharp tile (InFocus)
    /// and its blur (OutOfFocus), in a row.
    /// </summary>
    public static async Task<TestStorage> CreateWithScaleModelAsync(AzuriteFixture azurite)
    {
        var storage = await TestStorage.CreateAsync(azurite, useRealModelIfPresent: true,
            settings: new Dictionary<string, string?> { ["Scoring:ModelPath"] = RepositoryPaths.ScaleFixtureModel });
        await storage.UploadAsync($"{ScaleSlide}/x000_y000.jpg", TestTiles.FlatStain("eosin"));
        await storage.UploadAsync($"{ScaleSlide}/x001_y000.png", TestTiles.Sharp);
        await storage.UploadAsync($"{ScaleSlide}/x002_y000.png", TestTiles.Defocused);
        await storage.Services.GetRequiredService<PendingTileSweeper>().SweepAsync(null, CancellationToken.None);
        return storage;
    }

    /// <summary>
    /// With Storage:SlideFolderDepth 2 the slide id is "lab-a/slide-7", which the HTTP routes take as "lab-a%2Fslide-7";
    /// a slide of the same name in another folder must not leak into its answers.
    /// </summary>
    public const string NestedSlide = "lab-a/slide-7";

    public static async Task<TestStorage> CreateNestedAsync(AzuriteFixture azurite)
    {
        var storage = await TestStorage.CreateAsync(azurite, settings: new Dictionary<string, string?> { ["Storage:SlideFolderDepth"] = "2" });
        await storage.UploadAsync($"{NestedSlide}/x000_y000.png", TestTiles.Sharp);
        await storage.UploadAsync($"{NestedSlide}/x001_y000.png", TestTiles.Defocused);
        await storage.UploadAsync("lab-b/slide-7/x000_y000.png", TestTiles.Defocused);
        await storage.Services.GetRequiredService<PendingTileSweeper>().SweepAsync(null, CancellationToken.None);
        return storage;
    }
}
