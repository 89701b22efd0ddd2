using BenchmarkDotNet.Running;
using FocusFunctions.Benchmarks;

// `write-hostile-inputs <dir>` writes the input classes of HostileInputBenchmarks as files, for scripts/benchmark.sh
// to measure each in its own `focus score` process.
if (args is ["write-hostile-inputs", var directory])
{
    HostileInputs.WriteAll(directory);
    return;
}

// `write-squares <dir> <megapixels>...` writes square PNGs of those sizes (RGB and opaque RGBA) for the pixel limit.
if (args is ["write-squares", var squares, .. var megapixels])
{
    HostileInputs.WriteSquares(squares, megapixels.Select(int.Parse));
    return;
}

// `write-real-tiles <dir>` cuts real 1024×1024 tiles from ../shared/data/histology for the mixed batch.
if (args is ["write-real-tiles", var realTiles])
{
    HostileInputs.WriteRealTiles(realTiles);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkInputs).Assembly).Run(args);
