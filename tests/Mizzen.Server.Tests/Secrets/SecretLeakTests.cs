using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Server.Tests.Secrets;

/// <summary>
/// Issue 13's measured leak, and the rule that replaced it: a credential reaches the system it is for and nothing else — not the
/// pipeline config or its history, the execution JSON, <c>/tasks</c>, the lists, either event stream, <c>evaluateExpression</c>,
/// the SQLite file or the log. Real server on loopback, real SQLite, a fake Teletraan and an echoing endpoint as the receivers.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private SecretTestServer secrets = null!;

    private Infrastructure.RunningServer Server => secrets.Server;

    public async Task InitializeAsync()
    {
        secrets = await SecretTestServer.StartAsync();
        await Server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync() => await secrets.DisposeAsync();

    private string Echo => secrets.Teletraan.BaseUrl.TrimEnd('/') + "/echo";

    [Fact]
    public async Task A_pipeline_with_a_token_written_into_a_header_is_refused_and_the_answer_does_not_repeat_it()
    {
        var pipeline = Pipeline("written-out", Webhook("1", "Call CI", $"Bearer {SecretTestServer.LegacyToken}"));

        var saved = await Server.PostJsonAsync("/pipelines", pipeline.ToJsonString());
        var validated = await Server.PostJsonAsync("/pipelines/validate", pipeline.ToJsonString());
        var task = await Server.PostJsonAsync("/tasks", new JsonObject
        {
            ["application"] = "shop", ["job"] = new JsonArray(Webhook("1", "Call CI", $"Bearer {SecretTestServer.LegacyToken}")),
        }.ToJsonString());

        var savedText = await saved.Content.ReadAsStringAsync();
        saved.StatusCode.ShouldBe(HttpStatusCode.BadRequest, savedText);
        savedText.ShouldContain("stages[0].customHeaders.Authorization");
        savedText.ShouldContain("${secret:NAME}");
        task.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problems = new List<string>();
        problems.AddRange(SecretTestServer.Leaks("POST /pipelines answer", savedText));
        problems.AddRange(SecretTestServer.Leaks("POST /pipelines/validate answer", await validated.Content.ReadAsStringAsync()));
        problems.AddRange(SecretTestServer.Leaks("POST /tasks answer", await task.Content.ReadAsStringAsync()));
        problems.AddRange(SecretTestServer.Leaks("pipeline configs", (await Server.GetJsonAsync("/applications/shop/pipelineConfigs")).ToJsonString()));
        problems.AddRange(secrets.LeaksInDataFolder());
        problems.AddRange(secrets.LeaksInLogs());
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_pipeline_stored_with_a_written_out_token_before_the_rule_runs_without_sending_storing_or_showing_it()
    {
        // What issue 13 measured: such a config reached every output in plain text. Stored here past validation, as an old database holds it.
        var store = Server.Services.GetRequiredService<IPipelineConfigStore>();
        await store.SaveAsync(new PipelineConfig(Pipeline("legacy", Webhook("1", "Call CI", $"Bearer {SecretTestServer.LegacyToken}"))), "old-version", CancellationToken.None);
        var configId = (await store.FindByNameAsync("shop", "legacy", CancellationToken.None))!.Id!;
        var runId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var appEvents = await AppEventsAsync(runId);

        var id = await TriggerAsync("legacy");
        runId.SetResult(id);
        var run = await Server.WaitForAsync(id, e => IsDone(e));

        run["status"]!.GetValue<string>().ShouldBe("TERMINAL");
        run.ToJsonString().ShouldContain("customHeaders.Authorization holds a credential written into the pipeline");
        secrets.Teletraan.Calls.ShouldNotContain(c => c.Path.StartsWith("/echo", StringComparison.Ordinal));
        var problems = await LeaksInApiAsync(id, "shop", "/pipelines");
        problems.AddRange(SecretTestServer.Leaks("pipeline config", (await Server.GetJsonAsync($"/pipelineConfigs/{configId}")).ToJsonString()));
        problems.AddRange(SecretTestServer.Leaks("pipeline config history", (await Server.GetJsonAsync($"/pipelineConfigs/{configId}/history")).ToJsonString()));
        problems.AddRange(SecretTestServer.Leaks("application event stream", await appEvents));
        problems.AddRange(secrets.LeaksInLogs());
        problems.ShouldBeEmpty();

        // The control: the scan does see the database — the config row this test stored past validation holds the token.
        secrets.LeaksInDataFolder().ShouldContain(l => l.Contains(SecretTestServer.LegacyToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_stage_type_runs_with_secrets_in_play_and_no_output_holds_a_secret_value()
    {
        var child = Pipeline("child", new JsonObject
        {
            ["refId"] = "1", ["type"] = "webhook", ["name"] = "Child call", ["url"] = Echo,
            ["customHeaders"] = new JsonObject { ["X-Api-Key"] = "${secret:env-token}" },
        });
        var childId = await SaveAsync(child);
        var parent = Pipeline("everything",
            new JsonObject { ["refId"] = "1", ["type"] = "wait", ["name"] = "Breathe", ["waitTime"] = 0 },
            Webhook("2", "Call CI", "Bearer ${secret:ci-token}", "1", new JsonObject { ["token"] = "${secret:ci-token}", ["build"] = "${execution.id}" }),
            new JsonObject
            {
                ["refId"] = "3", ["requisiteStageRefIds"] = new JsonArray("2"), ["type"] = "teletraanDeploy", ["name"] = "Deploy with Teletraan",
                ["parameterValues"] = new JsonObject { ["env"] = "shop", ["stage"] = "canary", ["buildId"] = "b-42" },
            },
            new JsonObject
            {
                ["refId"] = "4", ["requisiteStageRefIds"] = new JsonArray("3"), ["type"] = "evaluateVariables", ["name"] = "Variables",
                ["variables"] = new JsonArray(
                    new JsonObject { ["key"] = "reference", ["value"] = "${secret:env-token}" },
                    new JsonObject { ["key"] = "echoed", ["value"] = "${#stage('Call CI')['context']['webhook']['body']}" },
                    new JsonObject { ["key"] = "headers", ["value"] = "${#stage('Call CI')['context']['customHeaders']}" }),
            },
            new JsonObject
            {
                ["refId"] = "5", ["requisiteStageRefIds"] = new JsonArray("4"), ["type"] = "checkPreconditions", ["name"] = "Check",
                ["preconditions"] = new JsonArray(new JsonObject { ["type"] = "expression", ["context"] = new JsonObject { ["expression"] = "${true}" } }),
            },
            new JsonObject
            {
                ["refId"] = "6", ["requisiteStageRefIds"] = new JsonArray("5"), ["type"] = "manualJudgment", ["name"] = "Approve",
                ["instructions"] = "The call used ${secret:ci-token}",
            },
            new JsonObject
            {
                ["refId"] = "7", ["requisiteStageRefIds"] = new JsonArray("6"), ["type"] = "pipeline", ["name"] = "Child",
                ["application"] = "shop", ["pipeline"] = childId, ["waitForCompletion"] = true,
            });
        await SaveAsync(parent);
        var runId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var appEvents = await AppEventsAsync(runId);

        var id = await TriggerAsync("everything");
        runId.SetResult(id);
        var runEvents = ReadStreamAsync($"/pipelines/{id}/events", _ => false);
        var waiting = await Server.WaitForAsync(id, e => IsDone(e) || Stage(e, "manualJudgment")["status"]!.GetValue<string>() == "RUNNING", TimeSpan.FromSeconds(60));
        var judge = await Server.SendAsync(HttpMethod.Patch, $"/pipelines/{id}/stages/{Stage(waiting, "manualJudgment")["id"]!.GetValue<string>()}",
            new JsonObject { ["judgmentStatus"] = "continue" });
        judge.Status.ShouldBe(200, judge.Body?.ToJsonString());
        var run = await Server.WaitForAsync(id, e => IsDone(e), TimeSpan.FromSeconds(60));

        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED", run.ToJsonString());
        var calls = secrets.Teletraan.Calls.ToList();
        calls.ShouldContain(c => c.Path == "/echo" && c.Authorization == $"Bearer {SecretTestServer.FileToken}" && c.Body.Contains(SecretTestServer.FileToken));
        calls.ShouldContain(c => c.Path == "/echo" && c.Headers.GetValueOrDefault("X-Api-Key") == SecretTestServer.EnvToken); // the child pipeline's call
        calls.ShouldContain(c => c.Method == "POST" && c.Path == "/v1/envs/shop/canary/deploys?buildId=b-42" && c.Authorization == "token " + SecretTestServer.OperatorToken);
        calls.ShouldContain(c => c.Method == "GET" && c.Path.StartsWith("/v1/deploys/", StringComparison.Ordinal));
        Stage(run, "evaluateVariables")["outputs"]!["reference"]!.GetValue<string>().ShouldBe("${secret:env-token}");
        Stage(run, "webhook")["context"]!["customHeaders"]!["Authorization"]!.GetValue<string>().ShouldBe("Bearer ${secret:ci-token}");
        Stage(run, "teletraanDeploy")["context"]!["webhook"]!["monitor"]!["progressMessage"]!.GetValue<string>().ShouldBe("2/2 hosts");

        var task = await Server.PostJsonAsync("/tasks", new JsonObject
        {
            ["application"] = "shop", ["job"] = new JsonArray(Webhook("1", "Call CI", "Bearer ${secret:ci-token}")),
        }.ToJsonString());
        task.StatusCode.ShouldBe(HttpStatusCode.Accepted, await task.Content.ReadAsStringAsync());
        var taskId = JsonNode.Parse(await task.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/tasks/".Length..];
        (await Server.WaitForAsync(taskId, e => IsDone(e)))["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");

        var problems = await LeaksInApiAsync(id, "shop", "/pipelines");
        problems.AddRange(await LeaksInApiAsync(taskId, "shop", "/tasks"));
        var childRun = Stage(run, "pipeline")["context"]!["executionId"]!.GetValue<string>();
        problems.AddRange(await LeaksInApiAsync(childRun, "shop", "/pipelines"));
        foreach (var expression in new[] { "${secret:ci-token}", "execution.stages", "#stage('Call CI')['context']", "trigger" })
        {
            problems.AddRange(SecretTestServer.Leaks($"evaluateExpression {expression}",
                (await Server.GetJsonAsync($"/pipelines/{id}/evaluateExpression?expression={Uri.EscapeDataString(expression)}")).ToJsonString()));
        }

        problems.AddRange(SecretTestServer.Leaks("pipeline configs", (await Server.GetJsonAsync("/applications/shop/pipelineConfigs")).ToJsonString()));
        problems.AddRange(SecretTestServer.Leaks("GET /webhooks/preconfigured", (await Server.GetJsonAsync("/webhooks/preconfigured")).ToJsonString()));
        problems.AddRange(SecretTestServer.Leaks("execution page", await Server.Http.GetStringAsync($"/ui/executions/{id}")));
        problems.AddRange(SecretTestServer.Leaks("execution event stream", await runEvents));
        problems.AddRange(SecretTestServer.Leaks("application event stream", await appEvents));
        problems.AddRange(secrets.LeaksInDataFolder());
        problems.AddRange(secrets.LeaksInLogs());
        problems.ShouldBeEmpty();
        secrets.Logs.Entries.ShouldContain(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Debug, "the log scan covers debug lines too");

        // The stage types this test does not run need a cloud provider or a canary source; they have no field that sends credentials.
        var notRun = new[]
        {
            "deploy", "createServerGroup", "destroyServerGroup", "disableServerGroup", "enableServerGroup", "resizeServerGroup", "rollbackServerGroup",
            "disableCluster", "scaleDownCluster", "shrinkCluster", "upsertLoadBalancer", "deleteLoadBalancer", "setTrafficWeights", "findImage",
            "findImageFromCluster", "runJob", "kayentaCanary", "canary", "findArtifactFromExecution", "restrictExecutionDuringTimeWindow",

            // Kubernetes manifest stages need a Kubernetes account. They send no credentials of their own, but a Secret manifest deployed
            // inline carries its data through the stage context, as in Spinnaker (docs/secrets.md says so).
            "deployManifest", "deleteManifest", "patchManifest", "scaleManifest", "undoRolloutManifest", "rollingRestartManifest",
            "enableManifest", "disableManifest", "findArtifactsFromResource", "runJobManifest", "bakeManifest",
        };
        var ran = run["stages"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()).Concat(["webhook"]).ToHashSet();
        var registered = Server.Services.GetRequiredService<StageCatalog>().Types;
        registered.Except(ran).Except(notRun).ShouldBeEmpty("a stage type this test neither runs nor lists as needing a provider");
    }

    private static bool IsDone(JsonNode execution) => execution["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL" or "CANCELED";

    private static JsonNode Stage(JsonNode execution, string type) => execution["stages"]!.AsArray().First(s => s!["type"]!.GetValue<string>() == type)!;

    private JsonObject Webhook(string refId, string name, string authorization, string? after = null, JsonObject? payload = null)
    {
        var stage = new JsonObject
        {
            ["refId"] = refId, ["type"] = "webhook", ["name"] = name, ["url"] = Echo, ["method"] = "POST",
            ["customHeaders"] = new JsonObject { ["Authorization"] = authorization, ["X-Team"] = "shop" },
        };
        if (after is not null)
        {
            stage["requisiteStageRefIds"] = new JsonArray(after);
        }

        if (payload is not null)
        {
            stage["payload"] = payload;
        }

        return stage;
    }

    private static JsonObject Pipeline(string name, params JsonObject[] stages) => new()
    {
        ["application"] = "shop", ["name"] = name, ["stages"] = new JsonArray([.. stages]),
    };

    private async Task<string> SaveAsync(JsonObject pipeline)
    {
        var saved = await Server.PostJsonAsync("/pipelines", pipeline.ToJsonString());
        var text = await saved.Content.ReadAsStringAsync();
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    private async Task<string> TriggerAsync(string name)
    {
        var started = await Server.PostJsonAsync($"/pipelines/shop/{name}", "{}");
        var text = await started.Content.ReadAsStringAsync();
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }

    /// <summary>
    /// The application's event stream, subscribed before this returns (the server has written <c>: subscribed</c>, so no event of a run
    /// triggered afterwards is missed), and read until the run whose id <paramref name="runId"/> gives has finished.
    /// </summary>
    private async Task<Task<string>> AppEventsAsync(TaskCompletionSource<string> runId)
    {
        var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await Server.Http.GetAsync("/applications/shop/executions/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        (await reader.ReadLineAsync(timeout.Token)).ShouldBe(": subscribed");
        return ReadRestAsync(response, reader, timeout,
            data => runId.Task.IsCompleted && data.Contains($"\"id\":\"{runId.Task.Result}\"", StringComparison.Ordinal) && IsDone(JsonNode.Parse(data)!));
    }

    /// <summary>A server-sent event stream's whole text, until it ends or a data line satisfies <paramref name="last"/> (60 s at most).</summary>
    private async Task<string> ReadStreamAsync(string path, Func<string, bool> last)
    {
        var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await Server.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return await ReadRestAsync(response, new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token)), timeout, last);
    }

    private static async Task<string> ReadRestAsync(HttpResponseMessage response, StreamReader reader, CancellationTokenSource timeout, Func<string, bool> last)
    {
        using (timeout)
        using (response)
        using (reader)
        {
            var text = new StringBuilder();
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                text.AppendLine(line);
                if (line.StartsWith("data: ", StringComparison.Ordinal) && last(line[6..]))
                {
                    break;
                }
            }

            return text.ToString();
        }
    }

    /// <summary>The run as <c>{kind}/{id}</c> shows it, and in its application's lists (expanded and not, pipelines and tasks).</summary>
    private async Task<List<string>> LeaksInApiAsync(string id, string app, string kind)
    {
        var problems = new List<string>();
        foreach (var path in new[]
                 {
                     $"{kind}/{id}", $"/pipelines/{id}", $"/applications/{app}/pipelines?limit=50", $"/applications/{app}/pipelines?expand=false",
                     $"/applications/{app}/tasks?limit=50",
                 })
        {
            problems.AddRange(SecretTestServer.Leaks(path, (await Server.GetJsonAsync(path)).ToJsonString()));
        }

        return problems;
    }
}
