using System.Text.Json.Nodes;

namespace Mizzen.Server.Demo;

/// <summary>The stage JSON the demo's pipelines and first deploy use, in Spinnaker's field names.</summary>
internal static class DemoStages
{
    /// <summary>A <c>deploy</c> stage of one cluster (<c>demo-&lt;account&gt;</c>, 2 instances, http health on <c>/health</c>).</summary>
    public static JsonObject Deploy(string refId, string name, string account, string loadBalancer, string strategy, string bundle, string version, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["requisiteStageRefIds"] = Requisites(requisites),
        ["type"] = "deploy",
        ["name"] = name,
        ["clusters"] = new JsonArray(new JsonObject
        {
            ["application"] = DemoEnvironment.Application,
            ["account"] = account,
            ["cloudProvider"] = "local",
            ["provider"] = "local",
            ["stack"] = account,
            ["freeFormDetails"] = "",
            ["strategy"] = strategy,
            ["maxRemainingAsgs"] = 3,
            ["capacity"] = new JsonObject { ["min"] = DemoEnvironment.Instances, ["max"] = DemoEnvironment.Instances, ["desired"] = DemoEnvironment.Instances },
            ["loadBalancers"] = new JsonArray(loadBalancer),
            ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health" },
            ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "demo", ["version"] = version, ["reference"] = bundle },
            ["scrapeMetrics"] = true,
        }),
    };

    /// <summary>A <c>runJob</c> stage running the demo service's own smoke mode against <paramref name="url"/>.</summary>
    public static JsonObject SmokeTest(string refId, string account, string bundle, Uri url, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["requisiteStageRefIds"] = Requisites(requisites),
        ["type"] = "runJob",
        ["name"] = "Smoke test staging",
        ["cloudProvider"] = "local",
        ["account"] = account,
        ["credentials"] = account,
        ["application"] = DemoEnvironment.Application,
        ["artifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "demo", ["reference"] = bundle },
        ["command"] = "dotnet",
        ["args"] = new JsonArray("demo-service.dll", "smoke", url.AbsoluteUri),
        ["timeout"] = 60,
    };

    public static JsonObject Judgment(string refId, string instructions, params string[] requisites) => new()
    {
        ["refId"] = refId,
        ["requisiteStageRefIds"] = Requisites(requisites),
        ["type"] = "manualJudgment",
        ["name"] = "Promote to prod?",
        ["instructions"] = instructions,
        ["judgmentInputs"] = new JsonArray(),
        ["failPipeline"] = true,
    };

    /// <summary>Rolls cluster <c>demo-prod</c> back to its previous server group.</summary>
    public static JsonObject RollbackProd(string refId) => new()
    {
        ["refId"] = refId,
        ["requisiteStageRefIds"] = new JsonArray(),
        ["type"] = "rollbackServerGroup",
        ["name"] = "Roll back prod",
        ["cloudProvider"] = "local",
        ["credentials"] = DemoEnvironment.Prod,
        ["cluster"] = DemoEnvironment.ProdCluster,
        ["moniker"] = new JsonObject { ["app"] = DemoEnvironment.Application, ["cluster"] = DemoEnvironment.ProdCluster, ["stack"] = DemoEnvironment.Prod },
        ["rollbackType"] = "PREVIOUS",
    };

    private static JsonArray Requisites(string[] refIds) => new([.. refIds.Select(r => (JsonNode?)JsonValue.Create(r))]);
}
