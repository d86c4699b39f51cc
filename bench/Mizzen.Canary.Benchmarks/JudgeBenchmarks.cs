using BenchmarkDotNet.Attributes;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Benchmarks;

/// <summary>Judging 100 metrics of 1,000 points per side on one thread (goal: at most 100 ms).</summary>
[MemoryDiagnoser]
public class JudgeBenchmarks
{
    private CanaryConfig config = null!;
    private List<MetricSetPair> pairs = null!;
    private readonly NetflixAcaJudge judge = new();

    [Params(100)]
    public int Metrics { get; set; }

    [Params(1000)]
    public int Points { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var metrics = string.Join(",", Enumerable.Range(0, Metrics).Select(i =>
        {
            var outliers = i % 2 == 0 ? "remove" : "keep";
            return "{\"name\":\"m" + i + "\",\"groups\":[\"g" + (i % 4) + "\"],\"query\":{\"type\":\"prometheus\",\"metricName\":\"m" + i
                + "\"},\"analysisConfigurations\":{\"canary\":{\"outliers\":{\"strategy\":\"" + outliers + "\"}}}}";
        }));
        config = CanaryConfigJson.Parse($$"""{"name":"bench","metrics":[{{metrics}}]}""");
        pairs = Enumerable.Range(0, Metrics).Select(i =>
        {
            var shift = i % 3 == 0 ? 1.15 : 1.0;
            var control = Enumerable.Range(0, Points).Select(_ => 100 + (random.NextDouble() * 10)).ToArray();
            var experiment = Enumerable.Range(0, Points).Select(_ => (100 + (random.NextDouble() * 10)) * shift).ToArray();
            return new MetricSetPair($"m{i}", control, experiment);
        }).ToList();
    }

    [Benchmark]
    public double Judge() => judge.Judge(config, pairs, new CanaryScoreThresholds(95, 75)).Score;
}
