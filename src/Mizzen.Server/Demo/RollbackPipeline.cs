using System.Text.Json.Nodes;

namespace Mizzen.Server.Demo;

/// <summary><c>rollback</c>: one click puts prod back on the server group it ran before the last deploy.</summary>
internal sealed class RollbackPipeline : IDemoPipeline
{
    public string Name => "rollback";

    public JsonObject Build(DemoEnvironment environment) => new()
    {
        ["description"] = "One-click rollback of prod (cluster demo-prod) to its previous server group",
        ["limitConcurrent"] = true,
        ["stages"] = new JsonArray(DemoStages.RollbackProd("1")),
    };
}
