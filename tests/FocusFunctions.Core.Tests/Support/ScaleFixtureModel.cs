using Microsoft.Extensions.Logging.Abstractions;

namespace FocusFunctions.Core.Tests.Support;

/// <summary>The scale-output fixture model (models/fixtures/scale-output), loaded once, and a scorer over it.</summary>
public sealed class ScaleFixtureModel : IDisposable
{
    public ScaleFixtureModel()
    {
        Model = new OnnxFocusModel(new OnnxModelOptions { ModelPath = RepositoryPaths.ScaleFixtureModel, IntraOpThreads = 1, MaxBatchSize = 4 }, NullLogger.Instance);
        Scorer = new TileScorer(Model, Microsoft.Extensions.Options.Options.Create(new ScoringOptions()),
            Microsoft.Extensions.Options.Options.Create(new DecodeOptions()), NullLogger<TileScorer>.Instance);
    }

    public OnnxFocusModel Model { get; }

    public TileScorer Scorer { get; }

    public TileScore Score(byte[] tile) => Scorer.Score(new MemoryStream(tile));

    public void Dispose() => Model.Dispose();
}
