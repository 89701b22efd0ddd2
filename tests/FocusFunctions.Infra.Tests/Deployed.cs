using FocusFunctions.Infra.Tests.Arm;

namespace FocusFunctions.Infra.Tests;

/// <summary>Lookups over the resources a deployment would create.</summary>
public static class Deployed
{
    public static DeployedResource Single(this IReadOnlyList<DeployedResource> resources, string type)
    {
        var matches = resources.Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(matches.Count == 1, $"Expected one {type}, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>The site's config resource of this name (appsettings, authsettingsV2), or null when not deployed.</summary>
    public static DeployedResource? SiteConfig(this IReadOnlyList<DeployedResource> resources, string name) =>
        resources.OfType("Microsoft.Web/sites/config").SingleOrDefault(r => (r.Evaluate("name") as string)?.EndsWith("/" + name, StringComparison.Ordinal) == true);

    public static IReadOnlyList<DeployedResource> OfType(this IReadOnlyList<DeployedResource> resources, string type) =>
        resources.Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase)).ToList();

    public static object? At(this IDictionary<string, object?> obj, string dottedPath)
    {
        object? current = obj;
        foreach (var part in dottedPath.Split('.'))
        {
            Assert.True(
                current is IDictionary<string, object?> map && map.TryGetValue(part, out current),
                $"No '{part}' on the way to '{dottedPath}'.");
        }

        return current;
    }

    public static IReadOnlyList<string> Names(this IReadOnlyList<DeployedResource> resources) =>
        resources.Select(r => r.Evaluate("name") as string ?? "?").ToList();
}
