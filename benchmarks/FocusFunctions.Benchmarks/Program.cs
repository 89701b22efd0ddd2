using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(FocusFunctions.Benchmarks.BenchmarkInputs).Assembly).Run(args);
