using System.Globalization;

namespace FocusFunctions.Infra.Tests.Arm;

/// <summary>The template functions the evaluator understands; the rest are runtime-only.</summary>
internal static class ArmFunctions
{
    private static readonly HashSet<string> RuntimeOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "reference", "resourceGroup", "tenant", "deployment", "environment", "utcNow", "newGuid",
        "uniqueString", "resourceId", "extensionResourceId", "tenantResourceId", "managementGroup",
    };

    /// <summary>Stands in for an unknown part of a formatted string.</summary>
    public const string UnknownText = "<?>";

    public static object? Invoke(string name, IReadOnlyList<ArmExpression> args, ArmScope scope)
    {
        if (name.StartsWith("list", StringComparison.OrdinalIgnoreCase) || RuntimeOnly.Contains(name))
        {
            return Unknown.Value;
        }

        // Short-circuiting functions evaluate only the arguments they need.
        switch (name.ToLowerInvariant())
        {
            case "if":
                return Evaluate(args[0], scope) switch
                {
                    bool b => Evaluate(args[b ? 1 : 2], scope),
                    _ => Unknown.Value,
                };
            case "and":
                return args.Select(a => Evaluate(a, scope)).Aggregate<object?, object?>(true, (acc, v) =>
                    acc is false || v is false ? false : acc is Unknown || v is Unknown ? Unknown.Value : true);
            case "or":
                return args.Select(a => Evaluate(a, scope)).Aggregate<object?, object?>(false, (acc, v) =>
                    acc is true || v is true ? true : acc is Unknown || v is Unknown ? Unknown.Value : false);
            case "coalesce":
                foreach (var arg in args)
                {
                    var value = Evaluate(arg, scope);
                    if (value is not null)
                    {
                        return value;
                    }
                }

                return null;
        }

        var values = args.Select(a => Evaluate(a, scope)).ToList();

        // Resource names are format()s of generated and literal parts; keep the literal parts readable.
        if (name.Equals("format", StringComparison.OrdinalIgnoreCase) && values.Any(v => v is Unknown) && values[0] is string pattern)
        {
            return string.Format(CultureInfo.InvariantCulture, pattern, values.Skip(1).Select(v => v is Unknown ? UnknownText : Text(v)).ToArray<object>());
        }

        if (values.Any(v => v is Unknown) && !name.Equals("tryGet", StringComparison.OrdinalIgnoreCase))
        {
            return Unknown.Value;
        }

        return name.ToLowerInvariant() switch
        {
            "parameters" => scope.Parameter(Text(values[0])),
            "variables" => scope.Variable(Text(values[0])),
            "copyindex" => (long)(scope.CopyIndex ?? throw new InvalidOperationException("copyIndex() outside a loop."))
                + (values.LastOrDefault() is long offset ? offset : 0),
            "true" => true,
            "false" => false,
            "null" => null,
            "not" => !(bool)values[0]!,
            "equals" => Equals(values[0], values[1]),
            "empty" => values[0] switch
            {
                null => true,
                string s => s.Length == 0,
                IList<object?> l => l.Count == 0,
                IDictionary<string, object?> d => d.Count == 0,
                _ => false,
            },
            "length" => values[0] switch
            {
                string s => (long)s.Length,
                IList<object?> l => (long)l.Count,
                IDictionary<string, object?> d => (long)d.Count,
                var other => throw new InvalidOperationException($"length() of {ArmExpression.Describe(other)}."),
            },
            "concat" => values.All(v => v is IList<object?>)
                ? values.SelectMany(v => (IList<object?>)v!).ToList()
                : string.Concat(values.Select(Text)),
            "format" => string.Format(CultureInfo.InvariantCulture, Text(values[0]), values.Skip(1).Select(Text).ToArray<object>()),
            "tolower" => Text(values[0]).ToLowerInvariant(),
            "fail" => throw new ArmDeploymentFailedException(Text(values[0])),
            "toupper" => Text(values[0]).ToUpperInvariant(),
            "string" => values[0] is bool b ? (b ? "True" : "False") : Text(values[0]),
            "bool" => values[0] is string s ? bool.Parse(s) : (bool)values[0]!,
            "int" => Convert.ToInt64(values[0], CultureInfo.InvariantCulture),
            "contains" => values[0] switch
            {
                string s => s.Contains(Text(values[1]), StringComparison.Ordinal),
                IList<object?> l => l.Contains(values[1]),
                IDictionary<string, object?> d => d.ContainsKey(Text(values[1])),
                _ => false,
            },
            "createarray" => values,
            "createobject" => Enumerable.Range(0, values.Count / 2)
                .ToDictionary(i => Text(values[2 * i]), i => values[(2 * i) + 1], StringComparer.OrdinalIgnoreCase),
            "union" => values.Cast<IDictionary<string, object?>>()
                .SelectMany(d => d)
                .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase),
            "tryget" => values[0] is IDictionary<string, object?> obj && obj.TryGetValue(Text(values[1]), out var found)
                ? found
                : values[0] is Unknown ? Unknown.Value : null,
            "subscription" => new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
            {
                ["id"] = "/subscriptions/00000000-0000-0000-0000-000000000000",
                ["subscriptionId"] = "00000000-0000-0000-0000-000000000000",
            },
            "subscriptionresourceid" => $"/subscriptions/00000000-0000-0000-0000-000000000000/providers/{Text(values[0])}/"
                + string.Join('/', values.Skip(1).Select(Text)),
            "guid" => "guid(" + string.Join(',', values.Select(Text)) + ")",
            _ => throw new NotSupportedException($"The test evaluator does not know the template function '{name}'."),
        };
    }

    private static object? Evaluate(ArmExpression expression, ArmScope scope) => expression.Evaluate(scope);

    private static string Text(object? value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => throw new InvalidOperationException($"Expected a string, got {ArmExpression.Describe(value)}."),
    };
}

/// <summary>The template's own <c>fail()</c>: the deployment would stop with this message.</summary>
public sealed class ArmDeploymentFailedException(string message) : Exception(message);
