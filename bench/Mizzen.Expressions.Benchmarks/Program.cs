using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Mizzen.Expressions.Benchmarks.ExpressionBenchmarks).Assembly).Run(args);
