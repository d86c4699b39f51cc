using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Mizzen.Cli.Tests.Fakes;
using Mizzen.Testing;
using static Mizzen.Cli.Tests.Fakes.GateSamples;

namespace Mizzen.Cli.Tests.Pipelines;

/// <summary><c>--wait</c> shows a canary's intervals as they are judged and the commands that answer a manual judgment.</summary>
public sealed class WaitProgressTests : IAsyncLifetime
{
    private const string Id = "01JEXEC";
    private FakeGateServer gate = null!;

    public async Task InitializeAsync()
    {
        gate = await FakeGateServer.StartAsync();
        gate.On("POST", "/pipelines/shop/deploy", new JsonObject { ["ref"] = $"/pipelines/{Id}" }, 202);
    }

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Wait_prints_one_line_per_judged_canary_interval_with_time_left_and_latest_score_then_the_judge_commands()
    {
        gate.OnRequest("GET", $"/pipelines/{Id}/events", async context =>
        {
            await SendAsync(context, Execution(Id, "RUNNING", Canary("RUNNING", planned: 0, judged: 0), Judgment("NOT_STARTED")));
            await SendAsync(context, Execution(Id, "RUNNING", Canary("RUNNING", planned: 3, judged: 0), Judgment("NOT_STARTED")));
            await SendAsync(context, Execution(Id, "RUNNING", Canary("RUNNING", planned: 3, judged: 1), Judgment("NOT_STARTED")));
            await SendAsync(context, Execution(Id, "RUNNING", Canary("RUNNING", planned: 3, judged: 1), Judgment("NOT_STARTED")));
            await SendAsync(context, Execution(Id, "RUNNING", Canary("SUCCEEDED", planned: 3, judged: 3), Judgment("RUNNING")));
            await SendAsync(context, Execution(Id, "RUNNING", Canary("SUCCEEDED", planned: 3, judged: 3), Judgment("RUNNING")));
            var judged = Judgment("SUCCEEDED");
            judged["context"]!["judgmentStatus"] = "continue";
            await SendAsync(context, Execution(Id, "SUCCEEDED", Canary("SUCCEEDED", planned: 3, judged: 3), judged));
        });

        var result = await CliRunner.RunAsync(CliRunner.Settings(new AutoAdvancingClock()), "pipeline", "execute", "shop", "deploy", "--wait", "--server", gate.Url);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            Id,
            "09:00:00 Canary RUNNING",
            "09:00:00 Canary: interval 1 of 3, 3m 00s left, no score yet",
            "09:00:00 Canary: interval 2 of 3, 3m 00s left, latest score 100 (Pass)",
            "09:00:00 Canary: interval 3 of 3 judged, latest score 87.5 (Pass)",
            "09:03:00 Canary SUCCEEDED",
            "09:03:00 Ship it? RUNNING",
            "09:00:00 Ship it? waits for a judgment; answer it with:",
            $"  ./mizzen execution judge {Id} \"Ship it?\" --continue",
            $"  ./mizzen execution judge {Id} \"Ship it?\" --stop",
            "  add --input with one of: \"ship\", \"hold on\"",
            "09:05:00 Ship it? SUCCEEDED",
            $"09:01:05 execution {Id} SUCCEEDED",
        ]);
    }

    [Fact]
    public async Task A_judgment_stage_whose_name_another_stage_shares_is_named_by_id_and_quotes_survive_the_shell()
    {
        gate.OnRequest("GET", $"/pipelines/{Id}/events", async context =>
        {
            var first = Stage("j1", "Say \"go\"", "manualJudgment", "RUNNING", T0);
            var second = Stage("j2", "Say \"go\"", "manualJudgment", "NOT_STARTED");
            await SendAsync(context, Execution(Id, "RUNNING", first, second));
            await SendAsync(context, Execution(Id, "CANCELED", Stage("j1", "Say \"go\"", "manualJudgment", "CANCELED", T0, T0 + 1_000), second));
        });

        var result = await CliRunner.RunAsync(CliRunner.Settings(new AutoAdvancingClock()), "pipeline", "execute", "shop", "deploy", "--wait", "--server", gate.Url);

        result.OutLines.ShouldContain($"  ./mizzen execution judge {Id} \"j1\" --continue");
        Mizzen.Cli.Executions.JudgmentPrompt.ShellQuote("Say \"go\"").ShouldBe("'Say \"go\"'");
        Mizzen.Cli.Executions.JudgmentPrompt.ShellQuote("it's $5").ShouldBe("'it'\\''s $5'");
    }

    [Fact]
    public async Task A_canary_that_stops_early_says_after_which_interval_and_with_what_score()
    {
        gate.OnRequest("GET", $"/pipelines/{Id}/events", async context =>
            await SendAsync(context, Execution(Id, "TERMINAL", Canary("TERMINAL", planned: 3, judged: 1))));

        var result = await CliRunner.RunAsync(CliRunner.Settings(new AutoAdvancingClock()), "pipeline", "execute", "shop", "deploy", "--wait", "--server", gate.Url);

        result.ExitCode.ShouldBe(1);
        result.OutLines.ShouldContain("09:00:00 Canary: stopped after interval 1 of 3, latest score 100 (Pass)");
    }

    private static JsonObject Canary(string status, int planned, int judged)
    {
        var context = new JsonObject();
        if (planned > 0)
        {
            context["canaryIntervals"] = new JsonArray([.. Enumerable.Range(1, planned).Select(i => (JsonNode)new JsonObject
            {
                ["number"] = i,
                ["notBeforeIso"] = TestTime.Start.AddMinutes(i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            })]);
            context["intervalResults"] = new JsonArray([.. Enumerable.Range(1, judged).Select(i => (JsonNode)new JsonObject
            {
                ["number"] = i, ["score"] = i == judged && judged == 3 ? 87.5 : 100.0, ["classification"] = "Pass",
            })]);
        }

        return Stage("c1", "Canary", "kayentaCanary", status, T0, status is "SUCCEEDED" or "TERMINAL" ? T0 + 180_000 : null, context);
    }

    private static JsonObject Judgment(string status)
    {
        var stage = Stage("j1", "Ship it?", "manualJudgment", status, status == "NOT_STARTED" ? null : T0 + 180_000, status == "SUCCEEDED" ? T0 + 300_000 : null);
        stage["context"]!["judgmentInputs"] = new JsonArray(new JsonObject { ["value"] = "ship" }, new JsonObject { ["value"] = "hold on" });
        return stage;
    }

    private static async Task SendAsync(HttpContext context, JsonObject execution)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.ContentType = "text/event-stream";
        }

        await context.Response.WriteAsync($"event: execution\ndata: {execution.ToJsonString()}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
