namespace FocusFunctions.App.Tests.Infrastructure;

/// <summary>Fault hooks set per test: a crash, a re-upload, an outage at a chosen point of a tile's processing.</summary>
public sealed class TestFaults : IProcessingFaults
{
    public Func<string, CancellationToken, Task>? BeforeMove { get; set; }

    public Func<string, CancellationToken, Task>? AfterCopy { get; set; }

    public Task BeforeMoveAsync(string blobName, CancellationToken cancellationToken) =>
        BeforeMove?.Invoke(blobName, cancellationToken) ?? Task.CompletedTask;

    public Task AfterCopyAsync(string blobName, CancellationToken cancellationToken) =>
        AfterCopy?.Invoke(blobName, cancellationToken) ?? Task.CompletedTask;
}

/// <summary>Stands for the process dying at a fault point.</summary>
public sealed class SimulatedCrashException() : Exception("Simulated crash.");
