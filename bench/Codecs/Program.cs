using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Codecs -- --filter '*'   (see bench/README.md)
BenchmarkSwitcher.FromAssembly(typeof(OrleansTracker.Bench.CodecBenchmarks).Assembly).Run(args);
