using FocusFunctions.Core.Hosting;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FocusFunctions.Core.Tests.Hosting;

public sealed class FocusServiceCollectionExtensionsTests
{
    [Fact]
    public void AddFocusServices_TriggerContainerSetting_WinsOverStorageSection()
    {
        using var services = Build(("FocusStorage", "UseDevelopmentStorage=true"), ("TILES_CONTAINER", "scans"), ("Storage:TilesContainer", "tiles"));

        Assert.Equal("scans", services.GetRequiredService<IOptions<StorageOptions>>().Value.TilesContainer);
    }

    [Fact]
    public void AddFocusServices_NoStorageConnection_StartupValidationNamesTheSettings()
    {
        using var services = Build();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("FocusStorage__blobServiceUri", error.Message);
    }

    [Fact]
    public void AddFocusServices_OutOfRangeScoringSetting_ValidationFails()
    {
        using var services = Build(("FocusStorage", "UseDevelopmentStorage=true"), ("Scoring:RejectAboveMicrons", "-1"));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FocusFunctions.Core.Scoring.ScoringOptions>>().Value);

        Assert.Contains("RejectAboveMicrons", error.Message);
    }

    [Theory]
    [InlineData(null, 0.5)]
    [InlineData("0.5", 0.5)]
    [InlineData("1", 1.0)]
    [InlineData("0.75", 0.75)]
    public void AddFocusServices_MinDecisivePatchFraction_DefaultAndBoundsAccepted(string? value, double expected)
    {
        var settings = new List<(string, string)> { ("FocusStorage", "UseDevelopmentStorage=true") };
        if (value is not null)
        {
            settings.Add(("Scoring:MinDecisivePatchFraction", value));
        }

        using var services = Build([.. settings]);

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(expected, services.GetRequiredService<IOptions<FocusFunctions.Core.Scoring.ScoringOptions>>().Value.MinDecisivePatchFraction);
    }

    [Fact]
    public void AddFocusServices_ShapeLimits_BindFromTheScoringSection()
    {
        using var services = Build(("FocusStorage", "UseDevelopmentStorage=true"), ("Scoring:MaxAspectRatio", "8"), ("Scoring:MaxPatches", "100"));

        var decoding = services.GetRequiredService<IOptions<FocusFunctions.Core.Imaging.DecodeOptions>>().Value;

        Assert.Equal((8.0, 100), (decoding.MaxAspectRatio, decoding.MaxPatches));
        Assert.Equal(8.0, FocusFunctions.Core.Imaging.DecodeLimits.From(decoding).MaxAspectRatio);
    }

    [Fact]
    public void AddFocusServices_DevelopmentStorage_ClientsPointAtAzuriteDefaults()
    {
        using var services = Build(("FocusStorage", "UseDevelopmentStorage=true"));

        var clients = services.GetRequiredService<StorageClientFactory>();

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), clients.Blobs.Uri);
        Assert.Equal("FocusResults", clients.ResultsTable.Name);
        Assert.Null(clients.Credential);
    }

    [Theory]
    [InlineData("Processing:BatchSize", "0")]
    [InlineData("Storage:SlideFolderDepth", "99")]
    [InlineData("Scoring:MinTileTissueFraction", "2")]
    [InlineData("Scoring:MinDecisivePatchFraction", "0.49")]
    [InlineData("Scoring:MinDecisivePatchFraction", "1.01")]
    [InlineData("Scoring:MaxAspectRatio", "0.5")]
    [InlineData("Scoring:MaxPatches", "0")]
    public void AddFocusServices_InvalidSetting_StartupValidatorThrowsBeforeFirstUse(string key, string value)
    {
        using var services = Build(("FocusStorage", "UseDevelopmentStorage=true"), (key, value));

        // The host runs IStartupValidator at start; without ValidateOnStart the bad value would surface on first use.
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(key.Split(':')[1], error.Message);
    }

    private static ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddFocusServices();
        return services.BuildServiceProvider();
    }
}
