namespace FocusFunctions.Infra.Tests;

public class AzureYamlTests
{
    private static readonly JsonNode Yaml = SchemaValidator.YamlToJson(File.ReadAllText(RepositoryPaths.InRoot("azure.yaml")))!;

    [Fact]
    public void Processor_Always_DeploysTheFunctionProject()
    {
        var processor = Yaml["services"]!["processor"]!;

        Assert.Equal("function", processor["host"]!.GetValue<string>());
        Assert.Equal("dotnet", processor["language"]!.GetValue<string>());
        Assert.Equal("./src/FocusFunctions.App", processor["project"]!.GetValue<string>());
    }

    [Fact]
    public void GpuWorker_Always_BuildsItsDockerfileFromTheRepositoryRoot()
    {
        var worker = Yaml["services"]!["gpuworker"]!;
        var project = worker["project"]!.GetValue<string>();
        var context = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, project, worker["docker"]!["context"]!.GetValue<string>()));
        var dockerfile = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, project, worker["docker"]!["path"]!.GetValue<string>()));

        Assert.Equal("containerapp", worker["host"]!.GetValue<string>());
        Assert.Equal("./src/FocusFunctions.Worker", project);
        Assert.Equal(RepositoryPaths.Root.TrimEnd(Path.DirectorySeparatorChar), context.TrimEnd(Path.DirectorySeparatorChar));
        Assert.Equal(RepositoryPaths.InRoot("src", "FocusFunctions.Worker", "Dockerfile"), dockerfile);
    }

    [Fact]
    public void ServiceNames_Always_MatchTheBicepServiceTags()
    {
        var bicep = string.Concat(Directory.EnumerateFiles(RepositoryPaths.Infra, "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));

        Assert.All(Yaml["services"]!.AsObject(), s => Assert.Contains($"'azd-service-name': '{s.Key}'", bicep, StringComparison.Ordinal));
    }

    [Fact]
    public void UpWorkflow_Always_DeploysOnlyTheProcessor()
    {
        var steps = Yaml["workflows"]!["up"]!["steps"]!.AsArray().Select(s => s!["azd"]!.GetValue<string>());

        Assert.Equal(["provision", "deploy processor"], steps);
    }

    [Theory]
    [InlineData("posix", "sh", "scripts/postdeploy.sh")]
    [InlineData("windows", "pwsh", "scripts/postdeploy.ps1")]
    public void PostdeployHook_ForEachPlatform_RunsAScriptThatExists(string platform, string shell, string script)
    {
        var hook = Yaml["hooks"]!["postdeploy"]![platform]!;

        Assert.Equal(shell, hook["shell"]!.GetValue<string>());
        Assert.Equal(script, hook["run"]!.GetValue<string>());
        Assert.True(File.Exists(RepositoryPaths.InRoot(script.Split('/'))), $"{script} is missing.");
    }
}
