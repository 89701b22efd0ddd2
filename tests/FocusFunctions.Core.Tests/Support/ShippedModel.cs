using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FocusFunctions.Core.Tests.Support;

/// <summary>The committed model, loaded once for the tests that use it.</summary>
public sealed class ShippedModel() : LoadedModel(RepositoryPaths.ShippedModel);

/// <summary>1.1.0, the last point-only model (no scale output), loaded once.</summary>
public sealed class PointOnlyModel() : LoadedModel(RepositoryPaths.PointOnlyModel);

public abstract class LoadedModel : IDisposable
{
    protected LoadedModel(string path)
    {
        Options = new OnnxModelOptions { ModelPath = path, IntraOpThreads = 1 };
        Model = new OnnxFocusModel(Options, NullLogger.Instance);
        Scorer = new TileScorer(Model, Microsoft.Extensions.Options.Options.Create(new ScoringOptions()),
            Microsoft.Extensions.Options.Options.Create(new DecodeOptions()), NullLogger<TileScorer>.Instance);
    }

    public OnnxModelOptions Options { get; }

    public OnnxFocusModel Model { get; }

    public TileScorer Scorer { get; }

    public TileScore Score(byte[] tile) => Scorer.Score(new MemoryStream(tile));

    public void Dispose()
    {
        Model.Dispose();
        GC.SuppressFinalize(this);
    }
}
