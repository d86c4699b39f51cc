using System.Text.Json.Nodes;
using Mizzen.Testing;

namespace Mizzen.Cli.Tests.Fakes;

/// <summary>Gate-shaped JSON for the fake server's answers (times are epoch ms around <see cref="TestTime.Start"/>).</summary>
public static class GateSamples
{
    public static readonly long T0 = TestTime.Start.ToUnixTimeMilliseconds();

    public static JsonObject Stage(string id, string name, string type, string status, long? start = null, long? end = null, JsonObject? context = null) => new()
    {
        ["id"] = id,
        ["refId"] = id,
        ["name"] = name,
        ["type"] = type,
        ["status"] = status,
        ["startTime"] = start,
        ["endTime"] = end,
        ["context"] = context ?? [],
        ["outputs"] = new JsonObject(),
        ["tasks"] = new JsonArray(),
        ["requisiteStageRefIds"] = new JsonArray(),
    };

    public static JsonObject Execution(string id, string status, params JsonObject[] stages) => new()
    {
        ["id"] = id,
        ["type"] = "PIPELINE",
        ["application"] = "shop",
        ["name"] = "deploy",
        ["pipelineConfigId"] = "cfg-1",
        ["status"] = status,
        ["startTime"] = T0,
        ["endTime"] = status is "SUCCEEDED" or "TERMINAL" or "CANCELED" ? T0 + 65_000 : null,
        ["trigger"] = new JsonObject { ["type"] = "manual", ["user"] = "ana" },
        ["authentication"] = new JsonObject { ["user"] = "ana", ["allowedAccounts"] = new JsonArray() },
        ["stages"] = new JsonArray(stages.Select(s => (JsonNode?)s.DeepClone()).ToArray()),
    };

    public static JsonObject PipelineConfig(string id, string name, int stages = 2) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["application"] = "shop",
        ["triggers"] = new JsonArray(new JsonObject { ["type"] = "cron", ["enabled"] = true }),
        ["stages"] = new JsonArray(Enumerable.Range(1, stages)
            .Select(i => (JsonNode?)new JsonObject { ["refId"] = $"{i}", ["name"] = $"stage {i}", ["type"] = "wait", ["waitTime"] = 5 })
            .ToArray()),
    };

    public static JsonObject ErrorContext(params string[] errors) => new()
    {
        ["exception"] = new JsonObject
        {
            ["details"] = new JsonObject { ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray()) },
        },
    };
}
