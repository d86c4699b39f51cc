using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Server.Tests.Infrastructure;

namespace Mizzen.Server.Tests.Api;

/// <summary>Manual judgments through the real server: the first one wins, and input must be one of the stage's options.</summary>
public sealed class JudgmentTests : IAsyncLifetime
{
    private const string Gated = """
        {"application":"shop","name":"gated","stages":[
          {"refId":"1","type":"manualJudgment","name":"Approve","instructions":"ship?","judgmentInputs":[{"value":"ship it"},{"value":"hold"}]},
          {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","name":"after","waitTime":0}]}
        """;

    private RunningServer server = null!;

    public async Task InitializeAsync()
    {
        server = await RunningServer.StartAsync();
        await server.CreateApplicationAsync("shop");
        (await server.PostJsonAsync("/pipelines", Gated)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Of_fifty_simultaneous_judgments_the_first_wins_and_every_other_gets_a_409_naming_the_judge()
    {
        var (id, stageId) = await StartAndWaitForJudgmentAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            JudgeAsync(id, stageId, $"judge-{i}", i % 2 == 0 ? "continue" : "stop", i % 2 == 0 ? "ship it" : "hold")));

        answers.Count(a => a.Status == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.Status == HttpStatusCode.Conflict).ShouldBe(49);
        var winner = answers.Single(a => a.Status == HttpStatusCode.OK).Body!["context"]!;
        var judge = winner["lastModifiedBy"]!.GetValue<string>();
        var decision = winner["judgmentStatus"]!.GetValue<string>();
        foreach (var refused in answers.Where(a => a.Status == HttpStatusCode.Conflict))
        {
            var detail = refused.Body!["detail"]!.GetValue<string>();
            detail.ShouldContain($"by {judge}");
            detail.ShouldContain($"'{decision}'");
        }

        var done = await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() is "SUCCEEDED" or "TERMINAL", TimeSpan.FromSeconds(20));
        done["status"]!.GetValue<string>().ShouldBe(decision == "continue" ? "SUCCEEDED" : "TERMINAL");
        var stage = done["stages"]![0]!;
        stage["context"]!["lastModifiedBy"]!.GetValue<string>().ShouldBe(judge);
        stage["context"]!["judgmentStatus"]!.GetValue<string>().ShouldBe(decision);
        stage["outputs"]!["judgedBy"]!.GetValue<string>().ShouldBe(judge);
        stage["outputs"]!["judgmentInput"]!.GetValue<string>().ShouldBe(decision == "continue" ? "ship it" : "hold");
    }

    [Fact]
    public async Task Judgment_input_that_is_not_one_of_the_stage_options_is_a_400_listing_them_and_changes_nothing()
    {
        var (id, stageId) = await StartAndWaitForJudgmentAsync();

        var refused = await JudgeAsync(id, stageId, "alice", "continue", "yolo");

        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        var detail = refused.Body!["detail"]!.GetValue<string>();
        detail.ShouldContain("judgmentInput");
        detail.ShouldContain("'yolo'");
        detail.ShouldContain("'ship it', 'hold'");
        var stage = (await server.GetJsonAsync($"/pipelines/{id}"))["stages"]![0]!;
        stage["status"]!.GetValue<string>().ShouldBe("RUNNING");
        stage["context"]!["judgmentStatus"].ShouldBeNull();

        (await JudgeAsync(id, stageId, "bob", "continue", "ship it")).Status.ShouldBe(HttpStatusCode.OK);
        (await server.WaitForAsync(id, e => e["status"]!.GetValue<string>() == "SUCCEEDED", TimeSpan.FromSeconds(20)))
            ["stages"]![0]!["outputs"]!["judgedBy"]!.GetValue<string>().ShouldBe("bob");
    }

    [Fact]
    public async Task A_judgment_other_than_continue_or_stop_is_a_400()
    {
        var (id, stageId) = await StartAndWaitForJudgmentAsync();

        var refused = await JudgeAsync(id, stageId, "alice", "contniue", "ship it");

        refused.Status.ShouldBe(HttpStatusCode.BadRequest);
        refused.Body!["detail"]!.GetValue<string>().ShouldContain("use \"continue\" or \"stop\"");
    }

    private async Task<(string Id, string StageId)> StartAndWaitForJudgmentAsync()
    {
        var response = await server.PostJsonAsync("/pipelines/shop/gated", "{}");
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["ref"]!.GetValue<string>()["/pipelines/".Length..];
        var waiting = await server.WaitForAsync(id, e => e["stages"]![0]!["status"]!.GetValue<string>() == "RUNNING");
        return (id, waiting["stages"]![0]!["id"]!.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> JudgeAsync(string id, string stageId, string user, string status, string input)
    {
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/pipelines/{id}/stages/{stageId}")
        {
            Content = new StringContent(new JsonObject { ["judgmentStatus"] = status, ["judgmentInput"] = input }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        patch.Headers.Add("X-Mizzen-User", user);
        using var response = await server.Http.SendAsync(patch);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
