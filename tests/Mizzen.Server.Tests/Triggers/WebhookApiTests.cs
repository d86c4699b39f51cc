using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Triggers;

/// <summary>Echo's webhook route on the real server: a post starts the matching pipelines, a redelivery none, and the trigger says why.</summary>
public sealed class WebhookApiTests : IAsyncLifetime
{
    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
        var saved = await server.PostJsonAsync("/pipelines", """
            {"application":"shop","name":"on push","parameterConfig":[{"name":"version"}],
             "triggers":[{"type":"webhook","enabled":true,"source":"builds","payloadConstraints":{"$.repo.branch":"^main$"}}],
             "stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"v","value":"${trigger.payload.repo.branch}-${parameters.version}"}]}]}
            """);
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, string body, string? deliveryId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (deliveryId is not null)
        {
            request.Headers.Add("X-Event-Id", deliveryId);
        }

        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task A_matching_post_starts_a_run_that_reads_the_payload_and_a_redelivery_starts_none()
    {
        const string body = """{"repo":{"branch":"main"},"parameters":{"version":"v5"}}""";

        var (status, first) = await PostAsync("/webhooks/webhook/builds", body, "d-1");
        var (_, again) = await PostAsync("/webhooks/webhook/builds", body, "d-1");

        status.ShouldBe(HttpStatusCode.OK);
        first["eventProcessed"]!.GetValue<bool>().ShouldBeTrue();
        var started = first["executions"]!.AsArray().ShouldHaveSingleItem()!;
        started["result"]!.GetValue<string>().ShouldBe("started");
        var id = started["executionId"]!.GetValue<string>();
        again["executions"]![0]!["result"]!.GetValue<string>().ShouldBe("duplicate");
        again["executions"]![0]!["executionId"]!.GetValue<string>().ShouldBe(id);

        var run = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL");
        run["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        run["stages"]![0]!["outputs"]!["v"]!.GetValue<string>().ShouldBe("main-v5");
        run["trigger"]!["type"]!.GetValue<string>().ShouldBe("webhook");
    }

    [Fact]
    public async Task A_post_that_fails_a_constraint_starts_nothing_and_the_triggers_route_says_why()
    {
        var (_, answer) = await PostAsync("/webhooks/webhook/builds", """{"repo":{"branch":"dev"}}""");

        answer["executions"]![0]!["result"]!.GetValue<string>().ShouldBe("skipped");
        var triggers = (await server.GetJsonAsync("/pipelines/shop/on%20push/triggers")).AsArray();
        var last = triggers.ShouldHaveSingleItem()!["lastEvent"]!;
        last["result"]!.GetValue<string>().ShouldBe("skipped");
        last["reason"]!.GetValue<string>().ShouldBe("payloadConstraints: '$.repo.branch' is 'dev', which does not match '^main$'");
        last["event"]!.GetValue<string>().ShouldStartWith("webhook 'builds' from 127.0.0.1");
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{\"repo\":", "line 1")]
    [InlineData("{\"parameters\":[1]}", "parameters")]
    [InlineData("{\"artifacts\":{}}", "artifacts")]
    public async Task Bad_bodies_are_a_400_that_names_the_problem(string body, string named)
    {
        var (status, problem) = await PostAsync("/webhooks/webhook/builds", body);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.ToJsonString().ShouldContain(named);
        (await server.GetJsonAsync("/applications/shop/pipelines")).AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_post_to_a_source_no_trigger_has_starts_nothing() =>
        (await PostAsync("/webhooks/webhook/nobody", "{}")).Body["executions"]!.AsArray().ShouldBeEmpty();
}
