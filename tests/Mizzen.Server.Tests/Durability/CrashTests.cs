using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Durability;

[Trait("Category", "Durability")]
public sealed class CrashTests
{
    private const int Runs = 50;

    private const string Pipeline = """
        {"application":"crash","name":"fanout","stages":[
          {"refId":"1","type":"wait","name":"start","waitTime":1},
          {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"left","waitTime":1},
          {"refId":"3","requisiteStageRefIds":["1"],"type":"wait","name":"right","waitTime":2},
          {"refId":"4","requisiteStageRefIds":["1"],"type":"evaluateVariables","name":"vars","variables":[{"key":"run","value":"${execution.id}"}]},
          {"refId":"5","requisiteStageRefIds":["2","3","4"],"type":"wait","name":"join","waitTime":1}]}
        """;

    [Fact]
    public async Task Every_run_finishes_once_with_the_right_status_after_the_server_is_killed_mid_way()
    {
        var data = Path.Combine(Path.GetTempPath(), "mizzen-crash-" + Guid.NewGuid().ToString("N"));
        var port = ServerProcess.FreePort();
        var ids = new List<string>();
        try
        {
            int finishedBeforeKill;
            using (var first = await ServerProcess.StartAsync(data, port))
            {
                using var client = new HttpClient { BaseAddress = first.Address };
                (await client.PostAsJsonAsync("/applications", new { name = "crash" })).EnsureSuccessStatusCode();
                (await client.PostAsync("/pipelines", new StringContent(Pipeline, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
                for (var i = 0; i < Runs; i++)
                {
                    var response = await client.PostAsync("/pipelines/crash/fanout", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
                    response.EnsureSuccessStatusCode();
                    ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..]);
                }

                // Kill mid-way: once half the runs are past their first stage and into the fan-out (each has 3 s of waits left).
                await Eventually.GetAsync(
                    async () => await CountPastFirstStageAsync(client) >= Runs / 2 ? "ready" : null,
                    TimeSpan.FromSeconds(60),
                    $"{Runs / 2} runs past their first stage");
                finishedBeforeKill = await CountSucceededAsync(client);
                first.Kill();
            }

            finishedBeforeKill.ShouldBeLessThan(Runs, "the kill must land while runs are in flight");

            using var second = await ServerProcess.StartAsync(data, port);
            using var again = new HttpClient { BaseAddress = second.Address };
            var executions = await Eventually.GetAsync(
                async () =>
                {
                    var all = (await again.GetFromJsonAsync<JsonArray>("/applications/crash/pipelines?limit=200"))!;
                    return all.Any(e => e!["status"]!.GetValue<string>() is "RUNNING" or "NOT_STARTED") ? null : all;
                },
                TimeSpan.FromSeconds(60),
                "every run to finish after the restart");

            executions.Count.ShouldBe(Runs, "no run lost, none started twice");
            executions.Select(e => e!["id"]!.GetValue<string>()).Order().ShouldBe(ids.Order());
            foreach (var execution in executions)
            {
                execution!["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", execution.ToJsonString());
                var stages = execution["stages"]!.AsArray();
                stages.Count.ShouldBe(5, "no stage duplicated");
                stages.ShouldAllBe(s => s!["status"]!.GetValue<string>() == "SUCCEEDED");
                stages.ShouldAllBe(s => s!["tasks"]!.AsArray().All(t => t!["status"]!.GetValue<string>() == "SUCCEEDED"));
                stages.Single(s => s!["name"]!.GetValue<string>() == "vars")!["outputs"]!["run"]!.GetValue<string>().ShouldBe(execution["id"]!.GetValue<string>());
                var join = stages.Single(s => s!["name"]!.GetValue<string>() == "join")!;
                var branchesEnd = stages.Where(s => s!["name"]!.GetValue<string>() is "left" or "right" or "vars").Max(s => s!["endTime"]!.GetValue<long>());
                join["startTime"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(branchesEnd);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<int> CountPastFirstStageAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonArray>("/applications/crash/pipelines?limit=200"))!
            .Count(e => e!["stages"]!.AsArray().Any(s => s!["name"]!.GetValue<string>() == "start" && s["status"]!.GetValue<string>() == "SUCCEEDED"));

    private static async Task<int> CountSucceededAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonArray>("/applications/crash/pipelines?limit=200&statuses=SUCCEEDED"))!.Count;
}
