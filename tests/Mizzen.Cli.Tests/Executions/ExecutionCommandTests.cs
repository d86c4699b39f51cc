using System.Text.Json.Nodes;
using Mizzen.Cli.Tests.Fakes;
using static Mizzen.Cli.Tests.Fakes.GateSamples;

namespace Mizzen.Cli.Tests.Executions;

public sealed class ExecutionCommandTests : IAsyncLifetime
{
    private const string Id = "01JEXEC";
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    [Fact]
    public async Task Execution_list_passes_limit_statuses_and_pipeline_name_as_gate_query_parameters()
    {
        gate.On("GET", "/applications/shop/pipelines", new JsonArray(Execution(Id, "SUCCEEDED")));

        var result = await CliRunner.RunAsync(gate, "execution", "list", "shop", "--limit", "5", "--status", "succeeded, TERMINAL", "--pipeline", "deploy");

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Requests.ShouldHaveSingleItem().Target.ShouldBe("/applications/shop/pipelines?limit=5&statuses=SUCCEEDED%2CTERMINAL&pipelineName=deploy");
        result.OutLines.ShouldBe([
            "ID       TYPE      NAME    STATUS     STARTED              DURATION  TRIGGER",
            $"{Id}  pipeline  deploy  SUCCEEDED  2026-11-02 09:00:00  1m 05s    manual by ana",
        ]);
    }

    [Fact]
    public async Task Execution_list_merges_pipeline_runs_and_tasks_newest_first_with_their_type()
    {
        var task = Execution("01JTASK", "SUCCEEDED");
        task["type"] = "ORCHESTRATION";
        task["name"] = "Demo first run";
        task["startTime"] = T0 - 60_000;
        task["buildTime"] = T0 - 60_000;
        var run = Execution(Id, "RUNNING");
        run["buildTime"] = T0;
        gate.On("GET", "/applications/shop/pipelines", new JsonArray(run));
        gate.On("GET", "/applications/shop/tasks", new JsonArray(task));

        var result = await CliRunner.RunAsync(gate, "execution", "list", "shop", "--status", "running,succeeded");
        var json = await CliRunner.RunAsync(gate, "execution", "list", "shop", "-o", "json");
        var tasksOnly = await CliRunner.RunAsync(gate, "execution", "list", "shop", "--type", "task");

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Requests.Select(r => r.Target).Take(2).ShouldBe([
            "/applications/shop/pipelines?statuses=RUNNING%2CSUCCEEDED",
            "/applications/shop/tasks?statuses=RUNNING%2CSUCCEEDED",
        ]);
        result.OutLines[0].ShouldBe("ID       TYPE      NAME            STATUS     STARTED              DURATION  TRIGGER");
        result.OutLines[1].ShouldStartWith($"{Id}  pipeline  deploy          RUNNING");
        result.OutLines[2].ShouldStartWith("01JTASK  task      Demo first run  SUCCEEDED  2026-11-02 08:59:00");
        JsonNode.Parse(json.Out)!.AsArray().Select(e => e!["id"]!.GetValue<string>()).ShouldBe([Id, "01JTASK"]);
        tasksOnly.OutLines.Length.ShouldBe(2);
        gate.Requests[^1].Target.ShouldBe("/applications/shop/tasks");
    }

    [Fact]
    public async Task Execution_list_with_an_unknown_status_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync(gate, "execution", "list", "shop", "--status", "DONE");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("mizzen: --status DONE: not a status");
        gate.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Execution_get_shows_each_stage_with_status_timing_and_errors()
    {
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "TERMINAL",
            Stage("s1", "Build", "wait", "SUCCEEDED", T0, T0 + 450),
            Stage("s2", "Deploy", "deployManifest", "TERMINAL", T0 + 1_000, T0 + 65_000, ErrorContext("image shop:2 not found")),
            Stage("s3", "Verify", "wait", "NOT_STARTED")));

        var result = await CliRunner.RunAsync(gate, "execution", "get", Id);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("status:       TERMINAL");
        result.Out.ShouldContain(
            "STAGE   ID  TYPE            STATUS       START                DURATION\n" +
            "Build   s1  wait            SUCCEEDED    2026-11-02 09:00:00  450ms\n" +
            "Deploy  s2  deployManifest  TERMINAL     2026-11-02 09:00:01  1m 04s\n" +
            "Verify  s3  wait            NOT_STARTED  -                    -\n");
        result.Out.ShouldEndWith("errors in Deploy:\n  image shop:2 not found\n");
    }

    [Fact]
    public async Task Execution_cancel_sends_the_reason_as_a_query_parameter()
    {
        gate.On("PUT", $"/pipelines/{Id}/cancel", null, 202);

        var result = await CliRunner.RunAsync(gate, "execution", "cancel", Id, "--reason", "wrong build");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe($"canceled execution {Id}\n");
        gate.Requests.ShouldHaveSingleItem().ToString().ShouldBe($"PUT /pipelines/{Id}/cancel?reason=wrong%20build");
    }

    [Theory]
    [InlineData("pause", "paused")]
    [InlineData("resume", "resumed")]
    public async Task Pause_and_resume_put_to_the_execution(string verb, string done)
    {
        gate.On("PUT", $"/pipelines/{Id}/{verb}", null, 202);

        var result = await CliRunner.RunAsync(gate, "execution", verb, Id);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe($"{done} execution {Id}\n");
    }

    [Fact]
    public async Task Judge_resolves_a_stage_name_and_patches_the_judgment()
    {
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "RUNNING",
            Stage("s1", "Approve", "wait", "SUCCEEDED"), Stage("s2", "Approve", "manualJudgment", "RUNNING")));
        gate.On("PATCH", $"/pipelines/{Id}/stages/s2", Execution(Id, "RUNNING"));

        var result = await CliRunner.RunAsync(gate, "execution", "judge", Id, "approve", "--continue", "--input", "ship it");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("judged Approve: continue\n");
        JsonNode.DeepEquals(JsonNode.Parse(gate.Single("PATCH", $"/pipelines/{Id}/stages/s2").Body),
            new JsonObject { ["judgmentStatus"] = "continue", ["judgmentInput"] = "ship it" }).ShouldBeTrue();
    }

    [Fact]
    public async Task Judge_with_a_stage_id_and_stop_sends_stop_without_input()
    {
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "RUNNING", Stage("s2", "Approve", "manualJudgment", "RUNNING")));
        gate.On("PATCH", $"/pipelines/{Id}/stages/s2", null, 200);

        var result = await CliRunner.RunAsync(gate, "execution", "judge", Id, "s2", "--stop");

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Single("PATCH", $"/pipelines/{Id}/stages/s2").Body.ShouldBe("""{"judgmentStatus":"stop"}""");
    }

    [Theory]
    [InlineData]
    [InlineData("--continue", "--stop")]
    public async Task Judge_needs_exactly_one_of_continue_or_stop(params string[] flags)
    {
        var result = await CliRunner.RunAsync(gate, ["execution", "judge", Id, "s2", .. flags]);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldBe("mizzen: give exactly one of --continue or --stop\n");
    }

    [Theory]
    [InlineData("wait", """{"skipRemainingWait":true}""")]
    [InlineData("restrictExecutionDuringTimeWindow", """{"skipRemainingWait":true}""")]
    [InlineData("deployManifest", """{"manualSkip":true}""")]
    public async Task Skip_sends_skipRemainingWait_for_waits_and_windows_and_manualSkip_otherwise(string type, string body)
    {
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "RUNNING", Stage("s1", "Hold", type, "RUNNING")));
        gate.On("PATCH", $"/pipelines/{Id}/stages/s1", null, 200);

        var result = await CliRunner.RunAsync(gate, "execution", "skip", Id, "Hold");

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Single("PATCH", $"/pipelines/{Id}/stages/s1").Body.ShouldBe(body);
    }

    [Fact]
    public async Task Restart_puts_to_the_stages_restart_path()
    {
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "TERMINAL", Stage("s1", "Deploy", "deployManifest", "TERMINAL")));
        gate.On("PUT", $"/pipelines/{Id}/stages/s1/restart", null, 202);

        var result = await CliRunner.RunAsync(gate, "execution", "restart", Id, "Deploy");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Out.ShouldBe("restarted Deploy\n");
    }

    [Fact]
    public async Task A_stage_that_is_not_there_is_reported_with_the_stages_that_are()
    {
        gate.On("GET", $"/pipelines/{Id}", Execution(Id, "RUNNING", Stage("s1", "Build", "wait", "RUNNING")));

        var result = await CliRunner.RunAsync(gate, "execution", "skip", Id, "Deploy");

        result.ExitCode.ShouldBe(1);
        result.ErrorLines.ShouldBe([$"mizzen: execution {Id} has no stage with id or name 'Deploy'", "  s1  Build (wait, RUNNING)"]);
    }
}
