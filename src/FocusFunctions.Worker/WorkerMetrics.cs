using System.Diagnostics.Metrics;

namespace FocusFunctions.Worker;

/// <summary>Throughput and latency of the worker, exported through OpenTelemetry (meter "FocusFunctions.Worker").</summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "FocusFunctions.Worker";

    private readonly Counter<long> _tiles;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _queueLatency;
    private readonly Histogram<double> _batchDuration;
    private double _lastTilesPerSecond;

    public WorkerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tiles = meter.CreateCounter<long>("focus.worker.tiles", "{tile}", "Tiles handled, by outcome and verdict.");
        _batchSize = meter.CreateHistogram<int>("focus.worker.batch.size", "{tile}", "Tiles per scoring batch.");
        _queueLatency = meter.CreateHistogram<double>("focus.worker.queue.latency", "s", "Time from enqueue to receive.");
        _batchDuration = meter.CreateHistogram<double>("focus.worker.batch.duration", "s", "Wall time of one batch: download, score, record, move.");
        meter.CreateObservableGauge("focus.worker.throughput", () => Volatile.Read(ref _lastTilesPerSecond), "{tile}/s", "Tiles per second of the last batch.");
    }

    public void QueueLatency(TimeSpan latency) => _queueLatency.Record(Math.Max(0, latency.TotalSeconds));

    public void Batch(int tiles, TimeSpan duration)
    {
        _batchSize.Record(tiles);
        _batchDuration.Record(duration.TotalSeconds);
        Volatile.Write(ref _lastTilesPerSecond, tiles / Math.Max(duration.TotalSeconds, 1e-6));
    }

    public void Tile(string outcome, string? verdict) =>
        _tiles.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("verdict", verdict ?? "none"));
}
