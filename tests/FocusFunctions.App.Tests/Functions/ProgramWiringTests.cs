using System.Reflection;
using FocusFunctions.Core.Inference;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FocusFunctions.App.Tests.Functions;

/// <summary>The worker creates function classes from the host's services; every one must be constructible from the host Program builds.</summary>
public sealed class ProgramWiringTests
{
    public static TheoryData<Type> FunctionClasses()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(FocusFunctions.App.Functions.ProcessTileFunction).Assembly.GetTypes()
                     .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null)))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void HostServices_FunctionClass_Constructible(Type functionClass)
    {
        using var host = BuildHost();

        Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, functionClass));
    }

    [Fact]
    public void HostServices_NoModelFile_ModelResolutionNamesTheSetting()
    {
        using var host = BuildHost(registerTestModel: false);

        var error = Assert.Throws<FileNotFoundException>(() => host.Services.GetRequiredService<IFocusModel>());

        Assert.Contains("Scoring:ModelPath", error.Message);
    }

    /// <summary>The host exactly as Program builds it, with test settings and (optionally) a model double.</summary>
    private static IHost BuildHost(bool registerTestModel = true)
    {
        var host = Program.CreateHost([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["FocusStorage"] = "UseDevelopmentStorage=true",
                ["TILES_CONTAINER"] = "tiles",
                ["Scoring:ModelPath"] = Path.Combine(Path.GetTempPath(), "no-such-model", "focus-model.onnx"),
            });
            if (registerTestModel)
            {
                builder.Services.AddSingleton<IFocusModel, LaplacianFocusModel>();
            }
        });
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return host;
    }
}
