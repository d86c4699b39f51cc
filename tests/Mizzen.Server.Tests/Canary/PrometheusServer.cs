using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Canary;

/// <summary>A real server whose <c>prometheus</c> metric source queries the given (real) Prometheus, trying each query once.</summary>
internal static class PrometheusServer
{
    public static Task<RunningServer> StartAsync(Uri prometheus) => RunningServer.StartAsync(demo: false, [("local", "24600-24699")], data =>
    {
        var path = Path.Combine(data, "mizzen.json");
        var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        settings["Mizzen"]!["Canary"] = new JsonObject
        {
            ["Prometheus"] = new JsonObject { ["BaseAddress"] = prometheus.ToString(), ["Retry"] = new JsonObject { ["MaxAttempts"] = 1 } },
        };
        File.WriteAllText(path, settings.ToJsonString());
    });

    /// <summary>A config of one metric: the exporter's latency, bound to the scope and a <c>namespace</c> scope parameter; higher is worse.</summary>
    public const string LatencyConfig = """
        {"name":"latency-canary","applications":["shop"],"judge":{"name":"NetflixACAJudge-v1.0"},
         "metrics":[{"name":"latency","groups":["perf"],
           "query":{"type":"prometheus","customInlineTemplate":"PromQL:avg(canary_latency_seconds{scope=\"${scope}\",namespace=\"${namespace}\"})"},
           "analysisConfigurations":{"canary":{"direction":"increase"}}}],
         "classifier":{"groupWeights":{"perf":100}}}
        """;
}
