using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Fuzz;

/// <summary>
/// What exists before the fuzzing and must be the same after it: an application, its pipeline, a canary config, and a
/// run held in a long wait that must still finish when released.
/// </summary>
internal sealed class KeptState
{
    private const string Application = "keep";

    private readonly Dictionary<string, string> snapshots = new(StringComparer.Ordinal);
    private string runId = "";

    public static async Task<KeptState> CreateAsync(RunningServer server)
    {
        var state = new KeptState();
        await server.CreateApplicationAsync(Application);
        (await server.PostJsonAsync("/pipelines", """
            {"application":"keep","name":"keeper","parameterConfig":[{"name":"env","default":"prod"}],
             "stages":[{"refId":"1","type":"wait","name":"hold","waitTime":3600},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"evaluateVariables","name":"vars","variables":[{"key":"where","value":"${parameters.env}"}]}]}
            """)).EnsureSuccessStatusCode();
        var canary = await server.PostJsonAsync("/v2/canaries/canaryConfig?application=keep", SampleBodies.CanaryConfig().ToJsonString().Replace("fuzz-canary", "kept-canary", StringComparison.Ordinal));
        canary.EnsureSuccessStatusCode();
        var canaryId = JsonNode.Parse(await canary.Content.ReadAsStringAsync())!["canaryConfigId"]!.GetValue<string>();

        var started = await server.PostJsonAsync("/pipelines/keep/keeper", "{}");
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        state.runId = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>().Split('/')[^1];
        await server.WaitForAsync(state.runId, e => e["stages"]!.AsArray().Any(s => s!["name"]!.GetValue<string>() == "hold" && s["status"]!.GetValue<string>() == "RUNNING"));

        foreach (var path in new[] { "/applications/keep", "/applications/keep/pipelineConfigs/keeper", $"/v2/canaries/canaryConfig/{canaryId}" })
        {
            state.snapshots[path] = (await server.GetJsonAsync(path)).ToJsonString();
        }

        return state;
    }

    public async Task ShouldBeIntactAsync(RunningServer server)
    {
        foreach (var (path, before) in snapshots)
        {
            (await server.GetJsonAsync(path)).ToJsonString().ShouldBe(before, $"{path} changed during the fuzzing");
        }

        var run = await server.GetJsonAsync($"/pipelines/{runId}");
        run["status"]!.GetValue<string>().ShouldBe("RUNNING");
        var hold = run["stages"]!.AsArray().First(s => s!["name"]!.GetValue<string>() == "hold")!["id"]!.GetValue<string>();
        var release = await server.SendAsync(HttpMethod.Patch, $"/pipelines/{runId}/stages/{hold}", new JsonObject { ["skipRemainingWait"] = true });
        release.Status.ShouldBeLessThan(300, release.Body?.ToJsonString());
        var finished = await server.WaitForAsync(runId, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED");
        finished["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", finished.ToJsonString());
        finished["stages"]!.AsArray().First(s => s!["name"]!.GetValue<string>() == "vars")!["outputs"]!["where"]!.GetValue<string>().ShouldBe("prod");
    }
}
