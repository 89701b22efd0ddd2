namespace FocusFunctions.Infra.Tests;

public class MainTemplateTests
{
    [Fact]
    public void Build_MainBicep_HasNoErrorsOrWarnings()
    {
        var build = MainTemplate.Build;

        Assert.True(build.ExitCode == 0, $"bicep build exited {build.ExitCode}:\n{build.Stderr}");
        Assert.True(build.Diagnostics.Count == 0, "bicep build diagnostics:\n" + string.Join('\n', build.Diagnostics));
    }

    [Fact]
    public void Lint_MainBicep_HasNoErrorsOrWarnings()
    {
        var lint = MainTemplate.Lint;

        Assert.True(lint.ExitCode == 0, $"bicep lint exited {lint.ExitCode}:\n{lint.Stdout}\n{lint.Stderr}");
        Assert.True(lint.Diagnostics.Count == 0, "bicep lint diagnostics:\n" + string.Join('\n', lint.Diagnostics));
    }

    [Fact]
    public void Template_Always_TargetsTheSubscriptionAndCreatesTheResourceGroup()
    {
        var json = MainTemplate.Json;

        Assert.Contains("subscriptionDeploymentTemplate", json["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(MainTemplate.Deploy(enableGpuWorker: false), r => r.Type == "Microsoft.Resources/resourceGroups");
    }

    [Fact]
    public void ParametersFile_Always_SetsOnlyTemplateParametersAndEveryRequiredOne()
    {
        var templateParameters = MainTemplate.Json["parameters"]!.AsObject();
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Infra, "main.parameters.json")))!;
        var given = file["parameters"]!.AsObject().Select(p => p.Key).ToList();

        Assert.All(given, name => Assert.True(templateParameters.ContainsKey(name), $"main.parameters.json sets unknown parameter '{name}'."));
        var required = templateParameters.Where(p => !p.Value!.AsObject().ContainsKey("defaultValue")).Select(p => p.Key);
        Assert.All(required, name => Assert.Contains(name, given));
        Assert.Equal("${AZURE_ENV_NAME}", file["parameters"]!["environmentName"]!["value"]!.GetValue<string>());
        Assert.Equal("${AZURE_LOCATION}", file["parameters"]!["location"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("RESOURCE_GROUP")]
    [InlineData("STORAGE_ACCOUNT_NAME")]
    [InlineData("EVENT_GRID_SYSTEM_TOPIC_NAME")]
    [InlineData("AZURE_CONTAINER_REGISTRY_ENDPOINT")]
    public void Outputs_Always_IncludeWhatAzdAndTheHookRead(string output)
    {
        Assert.True(MainTemplate.Json["outputs"]!.AsObject().ContainsKey(output), $"main.bicep has no output {output}.");
    }

    [Fact]
    public void Outputs_Always_AreUpperSnakeCase()
    {
        var names = MainTemplate.Json["outputs"]!.AsObject().Select(o => o.Key);

        Assert.All(names, name => Assert.Matches("^[A-Z][A-Z0-9_]*$", name));
    }
}
