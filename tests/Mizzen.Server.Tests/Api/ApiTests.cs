using System.Net;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Api;

public sealed class ApiTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private const string WaitPipeline = """
        {"application":"shop","name":"Ship It","parameterConfig":[{"name":"env","required":true},{"name":"replicas","default":"2"}],
         "keepMe":{"unknown":"field"},
         "stages":[{"refId":"1","type":"wait","name":"short","waitTime":0},
                   {"refId":"2","requisiteStageRefIds":["1"],"type":"evaluateVariables","name":"vars",
                    "variables":[{"key":"target","value":"${parameters.env}-${#toInt(parameters.replicas) + 1}"}]}]}
        """;

    [Fact]
    public async Task Applications_can_be_created_listed_read_and_deleted()
    {
        await server.CreateApplicationAsync("Shop");
        (await server.GetJsonAsync("/applications")).AsArray().Select(a => a!["name"]!.GetValue<string>()).ShouldContain("shop");
        (await server.GetJsonAsync("/applications/shop"))["email"]!.GetValue<string>().ShouldBe("team@example.com");
        (await server.Http.DeleteAsync("/applications/shop")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var missing = await server.Http.GetAsync("/applications/shop");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("application 'shop' does not exist");
    }

    [Fact]
    public async Task A_saved_pipeline_keeps_unknown_fields_and_every_save_is_a_revision_with_a_diff()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", WaitPipeline)).EnsureSuccessStatusCode();
        var saved = await server.GetJsonAsync("/applications/shop/pipelineConfigs/ship%20it");
        saved["keepMe"]!["unknown"]!.GetValue<string>().ShouldBe("field");
        var id = saved["id"]!.GetValue<string>();

        var changed = saved.AsObject();
        changed["stages"]![0]!["waitTime"] = 5;
        (await server.PostJsonAsync("/pipelines", changed.ToJsonString())).EnsureSuccessStatusCode();

        var history = (await server.GetJsonAsync($"/pipelineConfigs/{id}/history")).AsArray();
        history.Count.ShouldBe(2);
        history[0]!["revision"]!.GetValue<int>().ShouldBe(2);
        history[0]!["user"]!.GetValue<string>().ShouldBe("anonymous");
        var diff = (await server.GetJsonAsync($"/pipelineConfigs/{id}/diff?from=1&to=2"))["diff"]!.GetValue<string>();
        diff.ShouldContain("-      \"waitTime\": 0");
        diff.ShouldContain("+      \"waitTime\": 5");
        diff.IndexOf("-      \"waitTime\": 0", StringComparison.Ordinal).ShouldBeLessThan(diff.IndexOf("+      \"waitTime\": 5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saving_a_broken_pipeline_reports_every_problem_with_its_location()
    {
        await server.CreateApplicationAsync("shop");
        var response = await server.PostJsonAsync("/pipelines", """
            {"application":"shop","name":"bad","stages":[
              {"refId":"1","type":"bake","name":"Bake"},
              {"refId":"1","type":"wait","name":"dup"},
              {"refId":"3","requisiteStageRefIds":["9"],"type":"wait","waitTime":"${ parameters.x + }"}]}
            """);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray()
            .Select(e => $"{e!["location"]}: {e["message"]}").ToList();
        errors.ShouldContain(e => e.StartsWith("stages[0].type:") && e.Contains("'bake'"));
        errors.ShouldContain(e => e.StartsWith("stages[1].refId:") && e.Contains("duplicate"));
        errors.ShouldContain(e => e.StartsWith("stages[1].waitTime:"));
        errors.ShouldContain(e => e.StartsWith("stages[2].requisiteStageRefIds[0]:") && e.Contains("'9'"));
        errors.ShouldContain(e => e.StartsWith("stages[2].waitTime:") && e.Contains("column"));
        (await server.Http.GetAsync("/applications/shop/pipelineConfigs/bad")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_naming_the_line_and_column()
    {
        var response = await server.PostJsonAsync("/pipelines", "{\n  \"application\": \"shop\",\n  \"name\": oops\n}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("line 3");
    }

    [Fact]
    public async Task Triggering_answers_202_with_a_ref_and_the_run_evaluates_parameters()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", WaitPipeline)).EnsureSuccessStatusCode();

        var response = await server.PostJsonAsync("/pipelines/shop/ship it", """{"type":"manual","parameters":{"env":"prod"}}""");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var reference = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>();
        reference.ShouldStartWith("/pipelines/");
        var id = reference["/pipelines/".Length..];

        var done = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL");
        done["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        done["stages"]![1]!["outputs"]!["target"]!.GetValue<string>().ShouldBe("prod-3");
        done["trigger"]!["user"]!.GetValue<string>().ShouldBe("anonymous");
    }

    [Fact]
    public async Task A_missing_required_parameter_is_a_400_and_nothing_runs()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", WaitPipeline)).EnsureSuccessStatusCode();
        var response = await server.PostJsonAsync("/pipelines/shop/Ship It", """{"parameters":{}}""");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("required parameter 'env'");
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_manual_judgment_waits_for_a_person_and_records_who_judged()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """
            {"application":"shop","name":"gated","stages":[{"refId":"1","type":"manualJudgment","name":"Approve","instructions":"ok?","judgmentInputs":[{"value":"go"}]},
                                                         {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"after","waitTime":0}]}
            """)).EnsureSuccessStatusCode();
        var id = await TriggerAsync("gated");
        var waiting = await server.WaitForAsync(id, e => e["stages"]![0]!["status"]!.GetValue<string>() == "RUNNING");
        var stageId = waiting["stages"]![0]!["id"]!.GetValue<string>();

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}")
        {
            Content = new StringContent("""{"judgmentStatus":"continue","judgmentInput":"go"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        patch.Headers.Add("X-Mizzen-User", "alice");
        (await server.Http.SendAsync(patch)).EnsureSuccessStatusCode();

        var done = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "SUCCEEDED", TimeSpan.FromSeconds(10));
        done["stages"]![0]!["context"]!["lastModifiedBy"]!.GetValue<string>().ShouldBe("alice");
        done["stages"]![0]!["outputs"]!["judgedBy"]!.GetValue<string>().ShouldBe("alice");
        (await server.GetJsonAsync($"/pipelines/{id}/evaluateExpression?expression=%23judgment('Approve')"))["result"]!.GetValue<string>().ShouldBe("go");
    }

    [Fact]
    public async Task Cancel_ends_a_waiting_run_promptly_and_records_who_cancelled()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"long","stages":[{"refId":"1","type":"wait","name":"w","waitTime":3600}]}""")).EnsureSuccessStatusCode();
        var id = await TriggerAsync("long");
        await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "RUNNING");

        var cancel = new HttpRequestMessage(HttpMethod.Put, $"/pipelines/{id}/cancel?reason=wrong%20build");
        cancel.Headers.Add("X-Mizzen-User", "bob");
        (await server.Http.SendAsync(cancel)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        // The stage is canceled first and the run completes on the next message: wait for the run, which must follow within the time.
        var done = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "CANCELED" or "SUCCEEDED" or "TERMINAL", TimeSpan.FromSeconds(5));
        done["status"]!.GetValue<string>().ShouldBe("CANCELED");
        done["stages"]![0]!["status"]!.GetValue<string>().ShouldBe("CANCELED");
        done["canceledBy"]!.GetValue<string>().ShouldBe("bob");
        done["cancellationReason"]!.GetValue<string>().ShouldBe("wrong build");
    }

    [Fact]
    public async Task Executions_are_listed_newest_first_limited_per_pipeline_and_filtered_on_the_server()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"quick","stages":[{"refId":"1","type":"wait","name":"w","waitTime":0}]}""")).EnsureSuccessStatusCode();
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"long","stages":[{"refId":"1","type":"wait","name":"w","waitTime":3600}]}""")).EnsureSuccessStatusCode();
        var first = await TriggerAsync("quick");
        await server.WaitForAsync(first, e => e["status"]!.GetValue<string>() == "SUCCEEDED");
        var second = await TriggerAsync("long");
        await server.WaitForAsync(second, e => e["status"]!.GetValue<string>() == "RUNNING");

        var all = (await server.GetJsonAsync("/applications/shop/pipelines?limit=10")).AsArray();
        all.Select(e => e!["id"]!.GetValue<string>()).ShouldBe([second, first]);
        var running = (await server.GetJsonAsync("/applications/shop/pipelines?statuses=RUNNING")).AsArray();
        running.Single()!["id"]!.GetValue<string>().ShouldBe(second);
        var byName = (await server.GetJsonAsync("/applications/shop/pipelines?pipelineName=quick")).AsArray();
        byName.Single()!["id"]!.GetValue<string>().ShouldBe(first);

        // As in Gate, the limit counts per pipeline: a busy pipeline does not push the others out of the list.
        var third = await TriggerAsync("quick");
        await server.WaitForAsync(third, e => e["status"]!.GetValue<string>() == "SUCCEEDED");
        var newestOfEach = (await server.GetJsonAsync("/applications/shop/pipelines?limit=1")).AsArray();
        newestOfEach.Select(e => e!["id"]!.GetValue<string>()).ShouldBe([third, second]);
        var bad = await server.Http.GetAsync("/applications/shop/pipelines?statuses=DONE");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_event_stream_sends_the_current_state_then_every_change_until_the_run_ends()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"two","stages":[{"type":"wait","name":"a","waitTime":1},{"type":"wait","name":"b","waitTime":0}]}""")).EnsureSuccessStatusCode();
        var id = await TriggerAsync("two");

        using var stream = await server.Http.GetStreamAsync($"/pipelines/{id}/events");
        using var reader = new StreamReader(stream);
        var statuses = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                statuses.Add(JsonNode.Parse(line[6..])!["status"]!.GetValue<string>());
            }
        }

        statuses.Count.ShouldBeGreaterThan(1);
        statuses[^1].ShouldBe("SUCCEEDED");
    }

    [Fact]
    public async Task Metrics_are_in_prometheus_text_format()
    {
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", """{"application":"shop","name":"quick","stages":[{"refId":"1","type":"wait","name":"w","waitTime":0}]}""")).EnsureSuccessStatusCode();
        var id = await TriggerAsync("quick");
        await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "SUCCEEDED");

        var text = await server.Http.GetStringAsync("/metrics");
        text.ShouldContain("# TYPE mizzen_queue_depth gauge");
        text.ShouldContain("mizzen_executions{status=\"SUCCEEDED\"} 1");
        text.ShouldContain("mizzen_message_handling_seconds_count{kind=\"runTask\"}");
    }

    [Fact]
    public async Task Health_endpoints_answer_when_the_server_is_ready()
    {
        (await server.GetJsonAsync("/health/live"))["status"]!.GetValue<string>().ShouldBe("UP");
        (await server.GetJsonAsync("/health/ready"))["status"]!.GetValue<string>().ShouldBe("UP");
    }

    private async Task<string> TriggerAsync(string pipeline)
    {
        var response = await server.PostJsonAsync($"/pipelines/shop/{pipeline}", "{}");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
    }
}
