using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Api;

/// <summary>Steering a run over HTTP (pause, resume, restart, skip) and the application's live event stream, on the real server.</summary>
public sealed class RunControlApiTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_paused_run_stays_paused_with_nothing_scheduled_and_resume_finishes_it()
    {
        await SaveAsync("""{"application":"shop","name":"pausable","stages":[{"refId":"1","type":"wait","name":"w","waitTime":3}]}""");
        var id = await TriggerAsync("pausable");
        await server.WaitForAsync(id, e => Status(e) == "RUNNING");

        (await SendAsync(HttpMethod.Put, $"/pipelines/{id}/pause", "paula")).ShouldBe(HttpStatusCode.Accepted);

        // The wait's task reaches its next step and parks; after that the engine has nothing queued that could move the run.
        var paused = await server.WaitForAsync(id, e => FirstTaskStatus(e) == "PAUSED", TimeSpan.FromSeconds(10));
        Status(paused).ShouldBe("PAUSED");
        paused["stages"]![0]!["status"]!.GetValue<string>().ShouldBe("PAUSED");
        paused["paused"]!["pausedBy"]!.GetValue<string>().ShouldBe("paula");
        await Eventually.GetAsync(async () => await QueueDepthAsync() == 0 ? "empty" : null, TimeSpan.FromSeconds(10), "an empty engine queue");
        Status(await server.GetJsonAsync($"/pipelines/{id}")).ShouldBe("PAUSED");
        (await SendAsync(HttpMethod.Put, $"/pipelines/{id}/pause", "paula")).ShouldBe(HttpStatusCode.Conflict);

        (await SendAsync(HttpMethod.Put, $"/pipelines/{id}/resume", "rita")).ShouldBe(HttpStatusCode.Accepted);

        var done = await server.WaitForAsync(id, e => Status(e) is "SUCCEEDED" or "TERMINAL" or "CANCELED", TimeSpan.FromSeconds(15));
        Status(done).ShouldBe("SUCCEEDED");
        done["paused"]!["resumedBy"]!.GetValue<string>().ShouldBe("rita");
        (await SendAsync(HttpMethod.Put, $"/pipelines/{id}/resume", "rita")).ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_failed_stage_restarted_over_http_runs_again_and_records_who_restarted_it()
    {
        // The variable's expression fails until the stage carries restartDetails, so only a real re-run can succeed.
        await SaveAsync("""
            {"application":"shop","name":"flaky","stages":[
              {"refId":"1","type":"evaluateVariables","name":"vars","failOnFailedExpressions":true,
               "variables":[{"key":"attempt","value":"${ restartDetails == null ? #toInt('first try') : 'second' }"}]},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"after","waitTime":0}]}
            """);
        var id = await TriggerAsync("flaky");
        var failed = await server.WaitForAsync(id, e => Status(e) is "SUCCEEDED" or "TERMINAL");
        Status(failed).ShouldBe("TERMINAL", failed["stages"]![0]!.ToJsonString());
        var vars = failed["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "vars")!;
        vars["status"]!.GetValue<string>().ShouldBe("TERMINAL");
        var stageId = vars["id"]!.GetValue<string>();

        (await SendAsync(HttpMethod.Put, $"/pipelines/{id}/stages/{stageId}/restart", "carol")).ShouldBe(HttpStatusCode.Accepted);

        var done = await server.WaitForAsync(id, e => Status(e) is "SUCCEEDED" or "TERMINAL" && e["stages"]![0]!["context"]!["restartDetails"] is not null);
        Status(done).ShouldBe("SUCCEEDED");
        var restarted = done["stages"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == stageId)!;
        restarted["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        restarted["outputs"]!["attempt"]!.GetValue<string>().ShouldBe("second");
        restarted["context"]!["restartDetails"]!["restartedBy"]!.GetValue<string>().ShouldBe("carol");
        restarted["context"]!["restartDetails"]!["previousException"].ShouldNotBeNull();
        done["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "after")!["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
    }

    [Fact]
    public async Task Restarting_a_stage_that_is_still_running_is_a_409()
    {
        await SaveAsync("""{"application":"shop","name":"long","stages":[{"refId":"1","type":"wait","name":"w","waitTime":3600}]}""");
        var id = await TriggerAsync("long");
        var running = await server.WaitForAsync(id, e => e["stages"]![0]!["status"]!.GetValue<string>() == "RUNNING");

        (await SendAsync(HttpMethod.Put, $"/pipelines/{id}/stages/{running["stages"]![0]!["id"]}/restart", "carol")).ShouldBe(HttpStatusCode.Conflict);
        (await SendAsync(HttpMethod.Put, $"/pipelines/{id}/cancel", "carol")).ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Manual_skip_of_a_wait_stage_is_refused_and_the_wait_goes_on_while_skip_remaining_wait_ends_it()
    {
        // A wait is not skippable by hand (docs/engine.md: only stages that allow it); skipRemainingWait is its control.
        await SaveAsync("""
            {"application":"shop","name":"waiting","stages":[{"refId":"1","type":"wait","name":"w","waitTime":3600},
                                                           {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"after","waitTime":0}]}
            """);
        var id = await TriggerAsync("waiting");
        var running = await server.WaitForAsync(id, e => e["stages"]![0]!["status"]!.GetValue<string>() == "RUNNING");
        var stageId = running["stages"]![0]!["id"]!.GetValue<string>();

        var (status, body) = await PatchAsync(id, stageId, """{"manualSkip":true}""", "sam");
        status.ShouldBe(HttpStatusCode.BadRequest);
        body!["errors"]![0]!["location"]!.GetValue<string>().ShouldBe("manualSkip");
        body["errors"]![0]!["message"]!.GetValue<string>().ShouldContain("cannot be skipped by hand");
        var still = await server.GetJsonAsync($"/pipelines/{id}");
        still["stages"]![0]!["status"]!.GetValue<string>().ShouldBe("RUNNING");
        still["stages"]![0]!["context"]!["manualSkip"].ShouldBeNull();

        (await PatchAsync(id, stageId, """{"skipRemainingWait":true}""", "sam")).Status.ShouldBe(HttpStatusCode.OK);
        var done = await server.WaitForAsync(id, e => Status(e) is "SUCCEEDED" or "TERMINAL", TimeSpan.FromSeconds(10));
        Status(done).ShouldBe("SUCCEEDED");
        done["stages"]![0]!["context"]!["lastModifiedBy"]!.GetValue<string>().ShouldBe("sam");
    }

    [Fact]
    public async Task Manual_skip_of_a_skippable_pipeline_stage_skips_it_and_the_run_continues()
    {
        var childId = await SaveAsync("""{"application":"shop","name":"child","stages":[{"refId":"1","type":"wait","name":"w","waitTime":3600}]}""");
        await SaveAsync($$"""
            {"application":"shop","name":"parent","stages":[
              {"refId":"1","type":"pipeline","name":"run child","application":"shop","pipeline":"{{childId}}","skippable":true},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"after","waitTime":0}]}
            """);
        var id = await TriggerAsync("parent");
        var running = await server.WaitForAsync(id, e => e["stages"]![0]!["context"]!["executionId"] is not null);
        var stageId = running["stages"]![0]!["id"]!.GetValue<string>();

        (await PatchAsync(id, stageId, """{"manualSkip":true}""", "sam")).Status.ShouldBe(HttpStatusCode.OK);

        var done = await server.WaitForAsync(id, e => Status(e) is "SUCCEEDED" or "TERMINAL" or "CANCELED", TimeSpan.FromSeconds(10));
        Status(done).ShouldBe("SUCCEEDED");
        done["stages"]![0]!["status"]!.GetValue<string>().ShouldBe("SKIPPED");
        done["stages"]![0]!["context"]!["lastModifiedBy"]!.GetValue<string>().ShouldBe("sam");
        done["stages"]![1]!["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
    }

    [Fact]
    public async Task The_application_event_stream_delivers_a_runs_changes_up_to_its_final_state_and_nothing_from_other_applications()
    {
        await server.CreateApplicationAsync("other");
        await SaveAsync("""{"application":"other","name":"noise","stages":[{"refId":"1","type":"wait","name":"w","waitTime":0}]}""");
        await SaveAsync("""{"application":"shop","name":"two","stages":[{"type":"wait","name":"a","waitTime":1},{"type":"wait","name":"b","waitTime":0}]}""");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await server.Http.GetAsync("/applications/shop/executions/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        (await reader.ReadLineAsync(timeout.Token)).ShouldBe(": subscribed");

        // Another application's run, finished before ours starts: had its events been sent, they would arrive first.
        var noise = await TriggerAsync("noise", "other");
        await server.WaitForAsync(noise, e => Status(e) == "SUCCEEDED");
        var id = await TriggerAsync("two");

        var seen = new List<(string Id, string Application, string Status)>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var execution = JsonNode.Parse(line[6..])!;
            seen.Add((execution["id"]!.GetValue<string>(), execution["application"]!.GetValue<string>(), Status(execution)));
            if (seen[^1].Id == id && seen[^1].Status is "SUCCEEDED" or "TERMINAL" or "CANCELED")
            {
                break;
            }
        }

        seen.ShouldNotBeEmpty();
        seen.ShouldAllBe(e => e.Application == "shop" && e.Id == id);
        seen[^1].Status.ShouldBe("SUCCEEDED");
        seen.Select(e => e.Status).ShouldContain("RUNNING");
        seen.Count.ShouldBeGreaterThan(2);
    }

    private static string Status(JsonNode execution) => execution["status"]!.GetValue<string>();

    private static string? FirstTaskStatus(JsonNode execution) =>
        execution["stages"]![0]!["tasks"]!.AsArray().FirstOrDefault()?["status"]!.GetValue<string>();

    private async Task<string> SaveAsync(string json)
    {
        var response = await server.PostJsonAsync("/pipelines", json);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var config = JsonNode.Parse(json)!;
        var saved = await server.GetJsonAsync($"/applications/{config["application"]}/pipelineConfigs/{config["name"]}");
        return saved["id"]!.GetValue<string>();
    }

    private async Task<string> TriggerAsync(string pipeline, string application = "shop")
    {
        var response = await server.PostJsonAsync($"/pipelines/{application}/{pipeline}", "{}");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string user)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Mizzen-User", user);
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PatchAsync(string id, string stageId, string json, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Mizzen-User", user);
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<int> QueueDepthAsync()
    {
        var metrics = await server.Http.GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("mizzen_queue_depth ", StringComparison.Ordinal));
        return int.Parse(line["mizzen_queue_depth ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
