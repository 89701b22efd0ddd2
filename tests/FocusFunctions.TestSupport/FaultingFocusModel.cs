using FocusFunctions.Core.Inference;

namespace FocusFunctions.TestSupport;

/// <summary>
/// The Laplacian double, except that a model run holding a patch that starts with <see cref="TestTiles.Marker"/> (the
/// top-left patch of a <see cref="TestTiles.Marked"/> tile) throws what <see cref="Fault"/> makes: a model fault on one
/// tile's data, with the batch-mates of that tile unaffected when they are scored without it.
/// </summary>
public sealed class FaultingFocusModel(Func<Exception> fault) : IFocusModel
{
    private readonly LaplacianFocusModel _inner = new();
    private int _faults;

    public ModelCard Card => _inner.Card;

    public string Provider => _inner.Provider;

    public int MaxBatchSize => _inner.MaxBatchSize;

    public Func<Exception> Fault { get; } = fault;

    /// <summary>How many runs threw.</summary>
    public int Faults => Volatile.Read(ref _faults);

    public bool PredictsScale => _inner.PredictsScale;

    public void Predict(int count, PatchWriter writePatch, Span<float> defocusMicrons, Span<float> defocusScaleMicrons)
    {
        int plane = Card.PatchSize * Card.PatchSize;
        var patch = new float[3 * plane];
        for (int n = 0; n < count; n++)
        {
            writePatch(n, patch);
            if (IsMarker(patch[0], TestTiles.Marker.R) && IsMarker(patch[plane], TestTiles.Marker.G) && IsMarker(patch[2 * plane], TestTiles.Marker.B))
            {
                Interlocked.Increment(ref _faults);
                throw Fault();
            }
        }

        _inner.Predict(count, writePatch, defocusMicrons, defocusScaleMicrons);
    }

    private static bool IsMarker(float value, byte expected) => Math.Abs(value * 255 - expected) < 0.01;
}
