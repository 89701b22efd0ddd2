namespace FocusFunctions.Infra.Tests.Arm;

/// <summary>
/// What a template expression can see: its template's parameters (given values, else evaluated
/// defaults) and variables, and the loop position when the resource has a copy loop.
/// </summary>
public sealed class ArmScope
{
    private readonly JsonObject _parameterDefinitions;
    private readonly IReadOnlyDictionary<string, object?> _given;
    private readonly JsonObject _variables;
    private readonly Dictionary<string, object?> _cache = new(StringComparer.OrdinalIgnoreCase);

    public ArmScope(JsonObject template, IReadOnlyDictionary<string, object?> parameterValues)
        : this(
            template["parameters"]?.AsObject() ?? [],
            new Dictionary<string, object?>(parameterValues, StringComparer.OrdinalIgnoreCase),
            template["variables"]?.AsObject() ?? [],
            copyIndex: null)
    {
    }

    private ArmScope(JsonObject parameters, IReadOnlyDictionary<string, object?> given, JsonObject variables, int? copyIndex)
    {
        _parameterDefinitions = parameters;
        _given = given;
        _variables = variables;
        CopyIndex = copyIndex;
    }

    public int? CopyIndex { get; }

    public ArmScope AtCopyIndex(int index) =>
        new(_parameterDefinitions, _given, _variables, index);

    public object? Parameter(string name)
    {
        if (_given.TryGetValue(name, out var value))
        {
            return value;
        }

        if (_cache.TryGetValue("p:" + name, out var cached))
        {
            return cached;
        }

        var definition = _parameterDefinitions[name]?.AsObject()
            ?? throw new InvalidOperationException($"The template has no parameter '{name}'.");
        if (!definition.TryGetPropertyValue("defaultValue", out var defaultValue))
        {
            throw new InvalidOperationException($"Parameter '{name}' has no value and no default.");
        }

        return _cache["p:" + name] = Evaluate(defaultValue);
    }

    public object? Variable(string name)
    {
        if (_cache.TryGetValue("v:" + name, out var cached))
        {
            return cached;
        }

        if (!_variables.TryGetPropertyValue(name, out var definition))
        {
            throw new InvalidOperationException($"The template has no variable '{name}'.");
        }

        return _cache["v:" + name] = Evaluate(definition);
    }

    /// <summary>Evaluates a piece of template JSON: literals stay, "[...]" strings are expressions.</summary>
    public object? Evaluate(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray array => array.Select(Evaluate).ToList(),
        JsonValue value when value.TryGetValue<string>(out var text) => EvaluateString(text),
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        JsonValue value => value.GetValue<double>(),
        _ => throw new InvalidOperationException($"Unexpected JSON node {node}."),
    };

    private object? EvaluateString(string text)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text[1..];
        }

        return text.StartsWith('[') && text.EndsWith(']')
            ? ArmExpression.Parse(text[1..^1]).Evaluate(this)
            : text;
    }
}
