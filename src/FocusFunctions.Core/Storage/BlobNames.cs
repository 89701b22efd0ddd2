namespace FocusFunctions.Core.Storage;

/// <summary>
/// The one rule every host (Function, GPU worker, CLI) applies to a blob name before acting on it. HTTP clients,
/// System.Uri included, collapse "." and ".." segments and drop a leading '/', so such a name would address another
/// blob than the one it names (a queue subject "a/../y.png" would act on "y.png"), and an empty segment would make
/// "/x.png" and "x.png" one result key: such a name is <see cref="Unaddressable"/> and nothing is done to it. A
/// backslash is addressable with this SDK (it escapes it) but other tools read it as '/': such names are refused too
/// (<see cref="Refusal"/>), so the tile is quarantined with a row that says why and uploads never create one.
/// </summary>
public static class BlobNames
{
    /// <summary>The service's limit on a blob name, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="name"/> is refused (unaddressable, or holding a backslash), or null when it is accepted.</summary>
    public static string? Refusal(string? name) =>
        Unaddressable(name) ?? (name!.Contains('\\') ? $"The blob name '{name}' holds a backslash, which other tools read as '/'." : null);

    /// <summary>Why a client could not be trusted to reach the blob <paramref name="name"/> names, or null when it can.</summary>
    public static string? Unaddressable(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The blob name is empty.";
        }

        if (name.Length > MaxLength)
        {
            return $"The blob name has {name.Length} characters; the limit is {MaxLength}.";
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return $"The blob name '{name}' has an empty, '.' or '..' segment: it would address another blob than it names.";
            }
        }

        return null;
    }

    /// <summary>The name itself, or an <see cref="InvalidBlobNameException"/> when it is <see cref="Unaddressable"/>.</summary>
    public static string EnsureAddressable(string? name) =>
        Unaddressable(name) is { } reason ? throw new InvalidBlobNameException(reason) : name!;
}

/// <summary>A blob name that <see cref="BlobNames"/> refuses.</summary>
public sealed class InvalidBlobNameException(string message) : ArgumentException(message);
