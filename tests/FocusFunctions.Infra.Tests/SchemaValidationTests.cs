namespace FocusFunctions.Infra.Tests;

public class SchemaValidationTests
{
    private static JsonNode AzureYaml => SchemaValidator.YamlToJson(File.ReadAllText(RepositoryPaths.InRoot("azure.yaml")))!;

    private static JsonNode HostJson => JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot("host.json")))!;

    private static JsonNode LocalSettings => JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")))!;

    [Fact]
    public void AzureYaml_AsWritten_MatchesTheAzdSchema() => AssertValid(SchemaValidator.AzureYaml, AzureYaml);

    [Fact]
    public void AzureYaml_WithAnUpperCaseName_FailsTheAzdSchema()
    {
        var broken = AzureYaml;
        broken["name"] = "Focus Functions";

        Assert.NotEmpty(SchemaValidator.AzureYaml.Validate(broken));
    }

    [Fact]
    public void AzureYaml_WithAnUnknownDockerOption_FailsTheAzdSchema()
    {
        var broken = AzureYaml;
        broken["services"]!["gpuworker"]!["docker"]!["contxt"] = "../..";

        Assert.NotEmpty(SchemaValidator.AzureYaml.Validate(broken));
    }

    [Fact]
    public void AzureYaml_WithAServiceMissingItsHost_FailsTheAzdSchema()
    {
        var broken = AzureYaml;
        broken["services"]!["gpuworker"]!.AsObject().Remove("host");

        Assert.NotEmpty(SchemaValidator.AzureYaml.Validate(broken));
    }

    [Fact]
    public void HostJson_AsWritten_MatchesTheFunctionsHostSchema() => AssertValid(SchemaValidator.HostJson, HostJson);

    [Fact]
    public void HostJson_WithAnUnsupportedVersion_FailsTheFunctionsHostSchema()
    {
        var broken = HostJson;
        broken["version"] = "1.0";

        Assert.NotEmpty(SchemaValidator.HostJson.Validate(broken));
    }

    [Fact]
    public void LocalSettingsSample_AsWritten_MatchesTheLocalSettingsSchema() => AssertValid(SchemaValidator.LocalSettings, LocalSettings);

    [Fact]
    public void LocalSettingsSample_WithATextIsEncrypted_FailsTheLocalSettingsSchema()
    {
        var broken = LocalSettings;
        broken["IsEncrypted"] = "no";

        Assert.NotEmpty(SchemaValidator.LocalSettings.Validate(broken));
    }

    private static void AssertValid(SchemaValidator validator, JsonNode document)
    {
        var errors = validator.Validate(document);

        Assert.True(errors.Count == 0, "Schema errors:\n" + string.Join('\n', errors));
    }
}
