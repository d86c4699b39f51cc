using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Mizzen.Canary.Benchmarks.JudgeBenchmarks).Assembly).Run(args);
