using System.Text.Json.Nodes;

namespace Mizzen.Server.Demo;

/// <summary>
/// <c>deploy</c> (parameter <c>version</c>: v1, v2 or v3; default v2): red/black to staging → smoke test against the staging load
/// balancer → manual judgment "Promote &lt;version&gt; to prod?" → red/black to prod.
/// </summary>
internal sealed class DeployPipeline : IDemoPipeline
{
    public string Name => "deploy";

    public JsonObject Build(DemoEnvironment environment)
    {
        var bundle = environment.BundlePathExpression("${parameters.version}");
        return new JsonObject
        {
            ["description"] = "Red/black a release of the demo service to staging, smoke-test it, and promote it to prod after a judgment",
            ["keepWaitingPipelines"] = false,
            ["limitConcurrent"] = true,
            ["parameterConfig"] = new JsonArray(new JsonObject
            {
                ["name"] = "version",
                ["label"] = "Release",
                ["description"] = "v1 and v2 are healthy; v3 answers 10% errors and 150 ms slower",
                ["required"] = true,
                ["default"] = "v2",
                ["hasOptions"] = true,
                ["options"] = new JsonArray([.. DemoEnvironment.Versions.Select(v => (JsonNode)new JsonObject { ["value"] = v })]),
            }),
            ["stages"] = new JsonArray(
                DemoStages.Deploy("1", "Deploy to staging", DemoEnvironment.Staging, DemoEnvironment.StagingLoadBalancer, "redblack", bundle, "${parameters.version}"),
                DemoStages.SmokeTest("2", DemoEnvironment.Staging, bundle, environment.StagingUrl, "1"),
                DemoStages.Judgment("3", "Promote ${parameters.version} to prod?", "2"),
                DemoStages.Deploy("4", "Deploy to prod", DemoEnvironment.Prod, DemoEnvironment.ProdLoadBalancer, "redblack", bundle, "${parameters.version}", "3")),
        };
    }
}
