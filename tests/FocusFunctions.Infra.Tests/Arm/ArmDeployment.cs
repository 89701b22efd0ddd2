namespace FocusFunctions.Infra.Tests.Arm;

/// <summary>A resource a deployment would create for given parameters, found by walking nested modules.</summary>
public sealed record DeployedResource(string Type, string Module, JsonObject Definition, ArmScope Scope)
{
    /// <summary>The resource's "properties", evaluated where the values are known offline.</summary>
    public IDictionary<string, object?> Properties =>
        Scope.Evaluate(Definition["properties"]) as IDictionary<string, object?> ?? new Dictionary<string, object?>();

    public object? Evaluate(string member) => Scope.Evaluate(Definition[member]);
}

/// <summary>
/// Plays a compiled (non-symbolic) ARM template forward without Azure: evaluates each
/// resource's condition and copy count with the given parameters and descends into the
/// nested deployments Bicep emits for modules, passing each its evaluated parameters.
/// </summary>
public static class ArmDeployment
{
    public static IReadOnlyList<DeployedResource> Resources(JsonObject template, IReadOnlyDictionary<string, object?> parameters)
    {
        var found = new List<DeployedResource>();
        Walk(template, new ArmScope(template, parameters), "main", found);
        return found;
    }

    private static void Walk(JsonObject template, ArmScope scope, string module, List<DeployedResource> found)
    {
        var resources = template["resources"] as JsonArray
            ?? throw new InvalidOperationException($"Module {module}: expected a resources array (non-symbolic template).");

        foreach (var resource in resources.Select(r => r!.AsObject()))
        {
            if (resource["existing"]?.GetValue<bool>() == true)
            {
                continue;
            }

            foreach (var itemScope in Instances(resource, scope, module))
            {
                var type = resource["type"]!.GetValue<string>();
                if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
                {
                    var properties = resource["properties"]!.AsObject();
                    var childParameters = (properties["parameters"]?.AsObject() ?? [])
                        .ToDictionary(p => p.Key, p => ParameterValue(itemScope.Evaluate(p.Value)), StringComparer.OrdinalIgnoreCase);
                    var childTemplate = properties["template"]!.AsObject();
                    var childName = itemScope.Evaluate(resource["name"]) as string ?? "?";
                    Walk(childTemplate, new ArmScope(childTemplate, childParameters), $"{module}/{childName}", found);
                }
                else
                {
                    found.Add(new DeployedResource(type, module, resource, itemScope));
                }
            }
        }
    }

    // A module parameter is { "value": ... } or, when Bicep folds a condition, an expression yielding one.
    private static object? ParameterValue(object? entry) => entry switch
    {
        IDictionary<string, object?> obj when obj.TryGetValue("value", out var value) => value,
        Unknown => Unknown.Value,
        var other => throw new InvalidOperationException($"Unexpected module parameter {ArmExpression.Describe(other)}."),
    };

    private static IEnumerable<ArmScope> Instances(JsonObject resource, ArmScope scope, string module)
    {
        var copy = resource["copy"]?.AsObject();
        var scopes = copy is null
            ? [scope]
            : Enumerable.Range(0, (int)(long)scope.Evaluate(copy["count"])!).Select(scope.AtCopyIndex);

        foreach (var itemScope in scopes)
        {
            if (!resource.TryGetPropertyValue("condition", out var condition))
            {
                yield return itemScope;
                continue;
            }

            switch (itemScope.Evaluate(condition))
            {
                case true:
                    yield return itemScope;
                    break;
                case false:
                    break;
                case var other:
                    throw new InvalidOperationException(
                        $"Module {module}: condition {condition} of {resource["type"]} is {ArmExpression.Describe(other)}, not a known bool.");
            }
        }
    }
}
