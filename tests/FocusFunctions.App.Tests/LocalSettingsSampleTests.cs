using System.Reflection;
using System.Text.Json;
using FocusFunctions.Core.Hosting;
using FocusFunctions.Core.Imaging;
using FocusFunctions.Core.Inference;
using FocusFunctions.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FocusFunctions.App.Tests;

/// <summary>The documented sample settings must be names the app reads and values it accepts: binding ignores unknown names silently.</summary>
public sealed class LocalSettingsSampleTests
{
    private static readonly Dictionary<string, string?> Values = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "local.settings.sample.json")))
        .RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());

    public static TheoryData<string> SectionKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in Values.Keys.Where(k => k.Contains(':')))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SectionKeys))]
    public void Key_InASection_NamesAnOptionsProperty(string key)
    {
        var (section, name) = (key.Split(':')[0], key.Split(':')[1]);
        // The "Scoring" section feeds three options classes, one per concern; a key must name a property of one of them.
        Type[] types = section switch
        {
            StorageOptions.SectionName => [typeof(StorageOptions)],
            ScoringOptions.SectionName => [typeof(ScoringOptions), typeof(OnnxModelOptions), typeof(DecodeOptions)],
            ProcessingOptions.SectionName => [typeof(ProcessingOptions)],
            _ => [],
        };

        Assert.NotEmpty(types);
        Assert.Contains(types, type => type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is not null);
    }

    [Fact]
    public void Values_BoundByTheApp_PassStartupValidation()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Values).Build());
        services.AddLogging();
        services.AddFocusServices();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
        Assert.Equal((Values["TILES_CONTAINER"], Values["Storage:RejectedContainer"]), (storage.TilesContainer, storage.RejectedContainer));
        Assert.Null(provider.GetRequiredService<IOptions<ScoringOptions>>().Value.InputMicronsPerPixel);
    }
}
