using System.Text.Json;
using Json.Schema;
using YamlDotNet.Serialization;

namespace FocusFunctions.Infra.Tests;

/// <summary>
/// Validates documents against the official schemas in ../shared/schemas, offline. The azd schema's
/// remote references (https://raw.githubusercontent.com/Azure/azure-dev/main/&lt;path&gt;) are served
/// from ../shared/schemas/&lt;path&gt;; any other fetch fails rather than reaching the network.
/// The Foundry agent schema refers to sibling files (Agent.json, Deployment.json, ...) that the shared
/// copy does not include; those stand in as "anything goes": they only constrain azure.ai.* services.
/// </summary>
public sealed class SchemaValidator
{
    private const string AzureDevRaw = "https://raw.githubusercontent.com/Azure/azure-dev/main/";

    private readonly JsonSchema _schema;

    private SchemaValidator(JsonSchema schema) => _schema = schema;

    private static readonly Lazy<SchemaValidator> AzureYamlSchema =
        new(() => Load("azure.yaml.schema.json", new Uri(AzureDevRaw + "schemas/v1.0/azure.yaml.json"), withAzdExtensions: true));

    private static readonly Lazy<SchemaValidator> HostJsonSchema =
        new(() => Load("host.schema.json", new Uri("https://json.schemastore.org/host.json"), withAzdExtensions: false));

    private static readonly Lazy<SchemaValidator> LocalSettingsSchema =
        new(() => Load("local.settings.schema.json", new Uri("https://json.schemastore.org/local.settings.json"), withAzdExtensions: false));

    public static SchemaValidator AzureYaml => AzureYamlSchema.Value;

    public static SchemaValidator HostJson => HostJsonSchema.Value;

    public static SchemaValidator LocalSettings => LocalSettingsSchema.Value;

    /// <summary>Errors as "instance location: message" lines; empty when valid.</summary>
    public IReadOnlyList<string> Validate(JsonNode? document)
    {
        using var parsed = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var results = _schema.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var errors = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["invalid (no detail reported)"];
    }

    /// <summary>YAML as the JSON azd would see: deserialised to plain objects, then serialised as JSON.</summary>
    public static JsonNode? YamlToJson(string yaml)
    {
        var data = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object?>(yaml);
        var json = new SerializerBuilder().JsonCompatible().Build().Serialize(data);
        return JsonNode.Parse(json);
    }

    private static SchemaValidator Load(string file, Uri id, bool withAzdExtensions)
    {
        var registry = new SchemaRegistry();
        var options = new BuildOptions { SchemaRegistry = registry };
        registry.Fetch = (uri, _) => uri.AbsoluteUri.StartsWith(AzureDevRaw, StringComparison.Ordinal)
            ? JsonSchema.FromText("{}", options, uri)
            : throw new InvalidOperationException($"Schema {uri} is not available offline.");

        if (withAzdExtensions)
        {
            // Referenced azd extension schemas first, each under the URL the azd schema uses for it.
            foreach (var path in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Schemas, "cli"), "*.json", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryPaths.Schemas, path).Replace('\\', '/');
                JsonSchema.FromText(File.ReadAllText(path), options, new Uri(AzureDevRaw + relative));
            }
        }

        var text = AsDraft7(File.ReadAllText(Path.Combine(RepositoryPaths.Schemas, file)));
        return new SchemaValidator(JsonSchema.FromText(text, options, id));
    }

    // JsonSchema.Net 8 has no draft-04 dialect. The local.settings schema is draft-04 but uses only
    // keywords that mean the same in draft-07 (type, properties, enum), so it is read as draft-07.
    private static string AsDraft7(string text)
    {
        var schema = JsonNode.Parse(text)!.AsObject();
        if (schema["$schema"]?.GetValue<string>() != "http://json-schema.org/draft-04/schema#")
        {
            return text;
        }

        schema["$schema"] = "http://json-schema.org/draft-07/schema#";
        if (schema.Remove("id", out var id))
        {
            schema["$id"] = id;
        }

        return schema.ToJsonString();
    }
}
