using System.Text.Json.Nodes;

namespace Mizzen.Server.Demo;

/// <summary>
/// <c>canary</c> (parameter <c>version</c>): a <c>kayentaCanary</c> stage deploys a baseline (the release now in prod) and the
/// canary release next to prod, sends them 10% of prod's traffic each, judges two one-minute intervals on the embedded metrics
/// with the <c>demo-canary</c> config, then restores traffic and removes both; on Pass the release is promoted to prod
/// red/black. v2 passes; v3 (10% errors) fails at the first interval and prod keeps the release it had.
/// </summary>
internal sealed class CanaryDemoPipeline : IDemoPipeline
{
    public string Name => "canary";

    public JsonObject Build(DemoEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var bundle = environment.BundlePathExpression("${parameters.version}");
        return new JsonObject
        {
            ["description"] = "Canary a release against prod's current release at 10% each for two minutes, then promote it red/black on Pass",
            ["keepWaitingPipelines"] = false,
            ["limitConcurrent"] = true,
            ["parameterConfig"] = new JsonArray(new JsonObject
            {
                ["name"] = "version",
                ["label"] = "Release",
                ["description"] = "v2 is healthy and passes; v3 answers 10% errors and fails the canary",
                ["required"] = true,
                ["default"] = "v2",
                ["hasOptions"] = true,
                ["options"] = new JsonArray([.. DemoEnvironment.Versions.Select(v => (JsonNode)new JsonObject { ["value"] = v })]),
            }),
            ["stages"] = new JsonArray(
                CanaryStage(bundle),
                DemoStages.Deploy("2", "Promote to prod", DemoEnvironment.Prod, DemoEnvironment.ProdLoadBalancer, "redblack", bundle, "${parameters.version}", "1")),
        };
    }

    private static JsonObject CanaryStage(string bundle) => new()
    {
        ["refId"] = "1",
        ["requisiteStageRefIds"] = new JsonArray(),
        ["type"] = "kayentaCanary",
        ["name"] = "Canary at 10%",
        ["analysisType"] = "realTimeAutomatic",
        ["canaryConfig"] = new JsonObject
        {
            ["canaryConfigId"] = CanaryDemoConfig.Id,
            ["metricsAccountName"] = "embedded",
            ["storageAccountName"] = "sqlite",
            ["lifetimeDuration"] = "PT2M",
            ["canaryAnalysisIntervalMins"] = 1,
            ["beginCanaryAnalysisAfterMins"] = 0,
            ["scoreThresholds"] = new JsonObject { ["pass"] = 75, ["marginal"] = 50 },
            ["scopes"] = new JsonArray(new JsonObject { ["scopeName"] = "default", ["step"] = 10 }),
        },
        ["deployments"] = new JsonObject
        {
            ["baseline"] = new JsonObject { ["cloudProvider"] = "local", ["account"] = DemoEnvironment.Prod, ["cluster"] = DemoEnvironment.ProdCluster },
            ["serverGroupPairs"] = new JsonArray(new JsonObject
            {
                ["control"] = Cluster("baseline", null),
                ["experiment"] = Cluster("canary", new JsonObject { ["type"] = "local/bundle", ["name"] = "demo", ["version"] = "${parameters.version}", ["reference"] = bundle }),
            }),
            ["delayBeforeCleanup"] = "PT0S",
            ["trafficWeights"] = new JsonObject { ["loadBalancer"] = DemoEnvironment.ProdLoadBalancer, ["account"] = DemoEnvironment.Prod, ["control"] = 10, ["experiment"] = 10 },
        },
    };

    private static JsonObject Cluster(string detail, JsonObject? artifact)
    {
        var cluster = new JsonObject
        {
            ["application"] = DemoEnvironment.Application,
            ["account"] = DemoEnvironment.Prod,
            ["cloudProvider"] = "local",
            ["stack"] = DemoEnvironment.Prod,
            ["freeFormDetails"] = detail,
            ["capacity"] = new JsonObject { ["min"] = 1, ["max"] = 1, ["desired"] = 1 },
            ["healthCheck"] = new JsonObject { ["type"] = "http", ["path"] = "/health" },
            ["loadBalancers"] = new JsonArray(DemoEnvironment.ProdLoadBalancer),
            ["scrapeMetrics"] = true,
        };
        if (artifact is not null)
        {
            cluster["artifact"] = artifact;
        }

        return cluster;
    }
}
