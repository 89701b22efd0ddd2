using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FocusFunctions.Core.Tests.Support;

/// <summary>The committed model, loaded once for the tests that use it.</summary>
public sealed class ShippedModel : IDisposable
{
    public ShippedModel()
    {
        Options = new OnnxModelOptions { ModelPath = RepositoryPaths.ShippedModel, IntraOpThreads = 1 };
        Model = new OnnxFocusModel(Options, NullLogger.Instance);
        Scorer = new TileScorer(Model, Microsoft.Extensions.Options.Options.Create(new ScoringOptions()),
            Microsoft.Extensions.Options.Options.Create(new DecodeOptions()), NullLogger<TileScorer>.Instance);
    }

    public OnnxModelOptions Options { get; }

    public OnnxFocusModel Model { get; }

    public TileScorer Scorer { get; }

    public void Dispose() => Model.Dispose();
}
