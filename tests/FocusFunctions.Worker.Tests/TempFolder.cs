namespace FocusFunctions.Worker.Tests;

/// <summary>A fresh folder under the system's temp folder, removed with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("focus-worker-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
