using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Codecs -- --filter "*"   (see bench/README.md). The project
// file is named after the assembly because BenchmarkDotNet finds the project by that name.
BenchmarkSwitcher.FromAssembly(typeof(OrleansTracker.Bench.CodecBenchmarks).Assembly).Run(args);
