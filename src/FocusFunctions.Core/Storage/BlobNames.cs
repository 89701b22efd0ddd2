namespace FocusFunctions.Core.Storage;

/// <summary>
/// The one rule every host (Function, GPU worker, CLI) applies to a blob name before acting on it. HTTP clients,
/// System.Uri included, collapse "." and ".." segments and turn '\' into '/', so such a name would address another
/// blob than the one it names (a queue subject "a/../y.png" would act on "y.png"); an empty segment would make
/// "/x.png" and "x.png" one result key. Such names are refused, never rewritten, so that no host guesses differently.
/// </summary>
public static class BlobNames
{
    /// <summary>The service's limit on a blob name, in characters.</summary>
    public const int MaxLength = 1024;

    /// <summary>Why <paramref name="name"/> cannot be acted on, or null when it can.</summary>
    public static string? Refusal(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The blob name is empty.";
        }

        if (name.Length > MaxLength)
        {
            return $"The blob name has {name.Length} characters; the limit is {MaxLength}.";
        }

        if (name.Contains('\\'))
        {
            return $"The blob name '{name}' holds a backslash, which HTTP clients read as '/'.";
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

    /// <summary>The name itself, or an <see cref="InvalidBlobNameException"/> that says why it is refused.</summary>
    public static string EnsureValid(string? name) =>
        Refusal(name) is { } reason ? throw new InvalidBlobNameException(reason) : name!;
}

/// <summary>A blob name that <see cref="BlobNames"/> refuses.</summary>
public sealed class InvalidBlobNameException(string message) : ArgumentException(message);
