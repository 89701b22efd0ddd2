namespace FocusFunctions.Core.Inference;

/// <summary>Where the model and its card are: the one place a model path is resolved and checked, for every host.</summary>
public static class ModelFiles
{
    /// <summary>The shipped model, relative to the working directory or the app's folder (the project files copy it there).</summary>
    public const string DefaultModelPath = "models/focus-model.onnx";

    /// <summary>
    /// A full path for <paramref name="path"/> (the shipped model when null or blank). A relative path is taken from the
    /// working directory when the file is there, else from the app's own folder: hosts such as Azure Functions do not
    /// promise a working directory, and the model ships beside the binaries.
    /// </summary>
    public static string Resolve(string? path)
    {
        path = string.IsNullOrWhiteSpace(path) ? DefaultModelPath : path;
        return Path.IsPathRooted(path) || File.Exists(path) ? Path.GetFullPath(path) : Path.Combine(AppContext.BaseDirectory, path);
    }

    /// <summary>As <see cref="Resolve"/>, and the file must exist.</summary>
    public static string ResolveExisting(string? path)
    {
        string resolved = Resolve(path);
        if (!File.Exists(resolved))
        {
            throw new FileNotFoundException(
                $"Model file not found at '{resolved}' (Scoring:ModelPath; the CLI's --model). The shipped model is {DefaultModelPath}.", resolved);
        }

        return resolved;
    }
}
