using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Canary.Reports;
using Mizzen.Canary.Runs;
using Mizzen.Cli.Tests.Fakes;
using static Mizzen.Cli.Tests.Fakes.GateSamples;

namespace Mizzen.Cli.Tests.Canary;

/// <summary>
/// <c>canary report ID</c> against the FAKE Gate server. The interval reports it serves are real: judged by the canary judge and
/// written by <see cref="CanaryReportJson"/>, in the status shape of <c>GET /v2/canaries/canary/{canaryExecutionId}</c>.
/// </summary>
public sealed class CanaryReportCommandTests : IAsyncLifetime
{
    private const string ExecutionId = "01JPIPE";
    private const string CanaryId = "01JPIPE-01JSTAGE1";
    private FakeGateServer gate = null!;

    public async Task InitializeAsync() => gate = await FakeGateServer.StartAsync();

    public async Task DisposeAsync() => await gate.DisposeAsync();

    private static JsonObject Report(double canaryErrorRate)
    {
        const string config = """
            {"name":"checkout","metrics":[
              {"name":"error_rate","groups":["errors"],"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}},
              {"name":"latency_p99","groups":["latency"]}],
             "classifier":{"groupWeights":{"errors":50,"latency":50}}}
            """;
        static string Series(string metric, Func<int, double> value) =>
            $$"""{"{{metric}}":[{{string.Join(",", Enumerable.Range(0, 60).Select(i => value(i).ToString(CultureInfo.InvariantCulture)))}}]}""";
        var control = $$"""{{Series("error_rate", i => 0.01 + (i % 5 * 0.001))[..^1]}},{{Series("latency_p99", i => 200 + (i % 7))[1..]}}""";
        var experiment = $$"""{{Series("error_rate", i => canaryErrorRate + (i % 5 * 0.001))[..^1]}},{{Series("latency_p99", i => 201 + (i % 7))[1..]}}""";
        return CanaryReportJson.ToJson(OfflineCanaryJudge.Judge(config, control, experiment, new(75, 50)));
    }

    private static JsonObject Status(string canaryExecutionId, string stageId, string status, params (int Interval, JsonObject Report)[] reports) => new()
    {
        ["canaryExecutionId"] = canaryExecutionId,
        ["canaryConfigId"] = "checkout",
        ["application"] = "shop",
        ["pipelineExecutionId"] = ExecutionId,
        ["stageId"] = stageId,
        ["complete"] = status != "RUNNING",
        ["status"] = status.ToLowerInvariant(),
        ["executionStatus"] = status,
        ["canaryScores"] = new JsonArray([.. reports.Select(r => (JsonNode?)r.Report["score"]!.DeepClone())]),
        ["canaryScoreMessage"] = status == "TERMINAL" ? "Canary score is not above the marginal score threshold at interval 1 of 2." : null,
        ["intervals"] = new JsonArray([.. reports.Select(r => (JsonNode)new JsonObject
        {
            ["number"] = r.Interval,
            ["controlStartIso"] = "2026-11-02T09:00:00.000Z",
            ["controlEndIso"] = "2026-11-02T09:01:00.000Z",
            ["experimentStartIso"] = "2026-11-02T09:00:00.000Z",
            ["experimentEndIso"] = "2026-11-02T09:01:00.000Z",
            ["score"] = r.Report["score"]!.DeepClone(),
        })]),
        ["result"] = reports.Length == 0 ? null : new JsonObject { ["judgeResult"] = reports[^1].Report.DeepClone() },
        ["reports"] = new JsonArray([.. reports.Select(r => (JsonNode)new JsonObject { ["interval"] = r.Interval, ["report"] = r.Report.DeepClone() })]),
        ["exception"] = null,
    };

    [Fact]
    public async Task A_canary_execution_id_prints_each_judged_interval_as_the_judge_table()
    {
        var status = Status(CanaryId, "01JSTAGE1", "TERMINAL", (1, Report(canaryErrorRate: 0.05)));
        status["exception"] = ErrorContext(status["canaryScoreMessage"]!.GetValue<string>())["exception"]!.DeepClone();
        gate.On("GET", $"/v2/canaries/canary/{CanaryId}", status);

        var result = await CliRunner.RunAsync(gate, "canary", "report", CanaryId);

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Requests.ShouldHaveSingleItem().Target.ShouldBe($"/v2/canaries/canary/{CanaryId}");
        result.OutLines[..5].ShouldBe([
            $"Canary run {CanaryId}: TERMINAL",
            $"config checkout, application shop, execution {ExecutionId}",
            "scores: 0",
            "Canary score is not above the marginal score threshold at interval 1 of 2.",
            "",
        ]);
        result.OutLines[5].ShouldBe("Interval 1: control 2026-11-02T09:00:00.000Z to 2026-11-02T09:01:00.000Z, experiment 2026-11-02T09:00:00.000Z to 2026-11-02T09:01:00.000Z");
        result.OutLines[6].ShouldStartWith("Canary score 0 -> Fail (pass >= 75, fail <= 50)");
        result.OutLines.ShouldContain(l => l.StartsWith("error_rate ", StringComparison.Ordinal) && l.Contains("High (critical)", StringComparison.Ordinal));
        result.OutLines.ShouldContain(l => l.StartsWith("latency_p99 ", StringComparison.Ordinal));
        result.Error.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_pipeline_execution_id_prints_every_canary_stage_of_the_run()
    {
        var withOutput = Stage("01JSTAGE1", "Canary 10%", "kayentaCanary", "SUCCEEDED", T0, T0 + 60_000);
        withOutput["outputs"] = new JsonObject { ["canaryExecutionId"] = CanaryId };
        gate.On("GET", $"/pipelines/{ExecutionId}", Execution(ExecutionId, "RUNNING",
                withOutput,
                Stage("01JWAIT", "Wait", "wait", "SUCCEEDED"),
                Stage("01JSTAGE2", "Canary 50%", "kayentaCanary", "RUNNING", T0 + 61_000)))
            .On("GET", $"/v2/canaries/canary/{CanaryId}", Status(CanaryId, "01JSTAGE1", "SUCCEEDED", (1, Report(0.01)), (2, Report(0.01))))
            .On("GET", $"/v2/canaries/canary/{ExecutionId}-01JSTAGE2", Status($"{ExecutionId}-01JSTAGE2", "01JSTAGE2", "RUNNING"));

        var result = await CliRunner.RunAsync(gate, "canary", "report", ExecutionId);

        result.ExitCode.ShouldBe(0, result.ToString());
        gate.Requests.Select(r => r.Target).ShouldBe([$"/pipelines/{ExecutionId}", $"/v2/canaries/canary/{CanaryId}", $"/v2/canaries/canary/{ExecutionId}-01JSTAGE2"]);
        result.OutLines.ShouldContain($"Canary run {CanaryId} (stage \"Canary 10%\"): SUCCEEDED");
        result.OutLines.ShouldContain("scores: 100, 100");
        result.OutLines.Count(l => l.StartsWith("Interval ", StringComparison.Ordinal)).ShouldBe(2);
        result.OutLines.Count(l => l.StartsWith("Canary score 100 -> Pass", StringComparison.Ordinal)).ShouldBe(2);
        result.OutLines.ShouldContain($"Canary run {ExecutionId}-01JSTAGE2 (stage \"Canary 50%\"): RUNNING");
        result.OutLines[^1].ShouldBe("No interval has been judged yet.");
    }

    [Fact]
    public async Task Json_output_is_the_servers_status_for_a_canary_id_and_a_list_of_them_for_a_pipeline_id()
    {
        var status = Status(CanaryId, "01JSTAGE1", "SUCCEEDED", (1, Report(0.01)));
        var stage = Stage("01JSTAGE1", "Canary", "kayentaCanary", "SUCCEEDED");
        stage["outputs"] = new JsonObject { ["canaryExecutionId"] = CanaryId };
        gate.On("GET", $"/v2/canaries/canary/{CanaryId}", status).On("GET", $"/pipelines/{ExecutionId}", Execution(ExecutionId, "SUCCEEDED", stage));

        var single = await CliRunner.RunAsync(gate, "canary", "report", CanaryId, "-o", "json");
        var list = await CliRunner.RunAsync(gate, "canary", "report", ExecutionId, "-o", "json");

        single.ExitCode.ShouldBe(0, single.ToString());
        JsonNode.DeepEquals(JsonNode.Parse(single.Out), status).ShouldBeTrue();
        list.ExitCode.ShouldBe(0, list.ToString());
        JsonNode.DeepEquals(JsonNode.Parse(list.Out), new JsonArray(status.DeepClone())).ShouldBeTrue();
    }

    [Fact]
    public async Task A_run_that_failed_before_judging_shows_the_stage_error_and_that_no_interval_was_judged()
    {
        var status = Status(CanaryId, "01JSTAGE1", "TERMINAL");
        status["canaryScoreMessage"] = null;
        status["exception"] = ErrorContext("canary config 'checkout' does not exist")["exception"]!.DeepClone();
        gate.On("GET", $"/v2/canaries/canary/{CanaryId}", status);

        var result = await CliRunner.RunAsync(gate, "canary", "report", CanaryId);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.OutLines.ShouldBe([
            $"Canary run {CanaryId}: TERMINAL",
            $"config checkout, application shop, execution {ExecutionId}",
            "error: canary config 'checkout' does not exist",
            "",
            "No interval was judged.",
        ]);
    }

    [Fact]
    public async Task An_unknown_canary_execution_id_is_one_line_on_stderr_and_exit_code_1()
    {
        // The real server's 404 for an execution that does not exist.
        gate.Problem("GET", "/v2/canaries/canary/01JNOPE-01JNOPE", 404, "Not Found", "canary execution '01JNOPE-01JNOPE' does not exist");

        var result = await CliRunner.RunAsync(gate, "canary", "report", "01JNOPE-01JNOPE");

        result.ExitCode.ShouldBe(ExitCodes.Failed);
        result.Out.ShouldBeEmpty();
        result.ErrorLines.ShouldBe(["mizzen: canary execution '01JNOPE-01JNOPE' does not exist"]);
    }

    [Fact]
    public async Task An_unknown_pipeline_execution_id_is_one_line_on_stderr_and_exit_code_1()
    {
        gate.Problem("GET", "/pipelines/01JNOPE", 404, "Not Found", "execution 01JNOPE does not exist");

        var result = await CliRunner.RunAsync(gate, "canary", "report", "01JNOPE");

        result.ExitCode.ShouldBe(ExitCodes.Failed);
        result.ErrorLines.ShouldBe(["mizzen: execution 01JNOPE does not exist"]);
    }

    [Fact]
    public async Task A_pipeline_without_a_canary_stage_says_so()
    {
        gate.On("GET", $"/pipelines/{ExecutionId}", Execution(ExecutionId, "SUCCEEDED", Stage("s1", "Wait", "wait", "SUCCEEDED")));

        var result = await CliRunner.RunAsync(gate, "canary", "report", ExecutionId);

        result.ExitCode.ShouldBe(ExitCodes.Failed);
        result.ErrorLines.ShouldBe([$"mizzen: execution {ExecutionId} has no kayentaCanary stage, so it has no canary report"]);
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_code_3()
    {
        var url = gate.Url;
        await gate.DisposeAsync();
        gate = await FakeGateServer.StartAsync();

        var result = await CliRunner.RunAsync(CliRunner.Settings(), "canary", "report", CanaryId, "--server", url);

        result.ExitCode.ShouldBe(ExitCodes.Unreachable, result.ToString());
        result.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("mizzen: cannot reach Mizzen at");
    }
}
