using Mizzen.Canary.Configs;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Demo;

/// <summary>
/// The demo's canary config (<c>demo-canary</c> in application <c>demo</c>): the load balancer's error rate (critical: a higher
/// error rate fails the canary at once) and p99 latency (may rise by half before it counts), both from the embedded source.
/// </summary>
internal static class CanaryDemoConfig
{
    public const string Id = "demo-canary";

    public const string Json = """
        {"id":"demo-canary","name":"demo-canary","applications":["demo"],
         "description":"Demo: error rate (critical) and p99 latency of the canary against the baseline, from Mizzen's embedded metrics",
         "judge":{"name":"NetflixACAJudge-v1.0","judgeConfigurations":{}},
         "metrics":[
           {"name":"error_rate","groups":["errors"],"scopeName":"default","query":{"type":"embedded","metricName":"error_rate"},
            "analysisConfigurations":{"canary":{"direction":"increase","critical":true,"nanStrategy":"remove"}}},
           {"name":"latency_p99","groups":["latency"],"scopeName":"default","query":{"type":"embedded","metricName":"latency_p99"},
            "analysisConfigurations":{"canary":{"direction":"increase","nanStrategy":"remove","effectSize":{"allowedIncrease":1.5}}}}],
         "classifier":{"groupWeights":{"errors":60,"latency":40}}}
        """;
}

/// <summary>With <c>--demo</c>, stores <see cref="CanaryDemoConfig"/> at start-up unless a config with its id exists.</summary>
internal sealed partial class CanaryDemoConfigSetup(ServeArguments arguments, ICanaryConfigStore store, ILogger<CanaryDemoConfigSetup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!arguments.Demo || await store.GetAsync(DemoEnvironment.Application, CanaryDemoConfig.Id, null, stoppingToken) is not null)
        {
            return;
        }

        var (config, _) = CanaryConfigJson.Load(CanaryDemoConfig.Json);
        await store.SaveAsync(DemoEnvironment.Application, config, "demo", stoppingToken);
        LogSaved(CanaryDemoConfig.Id);
    }

    [LoggerMessage(EventId = 8150, Level = LogLevel.Information, Message = "Demo: saved canary config {ConfigId}")]
    private partial void LogSaved(string configId);
}
