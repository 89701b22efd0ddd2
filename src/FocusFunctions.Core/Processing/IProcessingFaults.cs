namespace FocusFunctions.Core.Processing;

/// <summary>
/// Points inside a tile's processing where tests inject faults (a crash, a re-upload, a storage outage). Production
/// uses <see cref="NoProcessingFaults"/>.
/// </summary>
public interface IProcessingFaults
{
    /// <summary>After the result row is written, before the tile is copied to its destination.</summary>
    Task BeforeMoveAsync(string blobName, CancellationToken cancellationToken);

    /// <summary>After the copy to the destination, before the source is deleted.</summary>
    Task AfterCopyAsync(string blobName, CancellationToken cancellationToken);
}

public sealed class NoProcessingFaults : IProcessingFaults
{
    public static readonly NoProcessingFaults Instance = new();

    public Task BeforeMoveAsync(string blobName, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AfterCopyAsync(string blobName, CancellationToken cancellationToken) => Task.CompletedTask;
}
