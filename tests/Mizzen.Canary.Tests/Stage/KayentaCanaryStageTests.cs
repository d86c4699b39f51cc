using System.Text.Json.Nodes;
using Mizzen.Canary.Stage;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Canary.Tests.Stage;

public sealed class KayentaCanaryStageTests : IDisposable
{
    private readonly CanaryStageKit kit = new();

    public void Dispose() => kit.Dispose();

    private static string RealTime(string configId, string extra = "") => $$"""
        {"canaryConfig":{"canaryConfigId":"{{configId}}","lifetimeDuration":"PT2M","canaryAnalysisIntervalMins":"1",
          "scoreThresholds":{"pass":75,"marginal":50},
          "scopes":[{"scopeName":"default","controlScope":"shop-baseline","controlLocation":"local","experimentScope":"shop-canary","experimentLocation":"local","step":1}]}{{extra}}}
        """;

    [Fact]
    public async Task A_real_time_canary_judges_each_interval_only_after_its_window_ends_and_passes()
    {
        var id = await kit.SaveConfigAsync();
        var stage = CanaryStageKit.Stage(RealTime(id));
        var start = kit.Clock.GetUtcNow();

        var planned = await kit.RunAsync(kit.Intervals, stage);
        planned.Status.ShouldBe(ExecutionStatus.Running);
        planned.BackoffOverride.ShouldBe(TimeSpan.FromMinutes(1));
        CanaryStageKit.ErrorOf(planned).ShouldBeNull();
        (stage.Context[CanaryIntervalRecord.PlanKey] as JsonArray)!.Count.ShouldBe(2);
        kit.Source.Queries.ShouldBeEmpty();

        kit.Clock.Advance(TimeSpan.FromSeconds(60));
        (await kit.RunAsync(kit.Intervals, stage)).BackoffOverride.ShouldBe(TimeSpan.FromSeconds(1), "the window has ended; its last one-second step settles first");
        kit.Source.Queries.ShouldBeEmpty();

        kit.Clock.Advance(TimeSpan.FromSeconds(1));
        var first = await kit.RunAsync(kit.Intervals, stage);
        first.Status.ShouldBe(ExecutionStatus.Running);
        kit.Source.Queries.Count.ShouldBe(4);
        kit.Source.Queries.ShouldAllBe(q => q.Start == start && q.End == start.AddMinutes(1));
        stage.Outputs["canaryScores"]!.AsArray().Select(s => s.AsDouble()).ShouldBe([100.0]);
        stage.Outputs["reportUrl"].AsString().ShouldBe($"/v2/canaries/canary/{id}/01EXECUTION-01STAGECANARY");

        kit.Clock.Advance(TimeSpan.FromSeconds(61));
        (await kit.RunAsync(kit.Intervals, stage)).Status.ShouldBe(ExecutionStatus.Succeeded);
        kit.Source.Queries.Skip(4).ShouldAllBe(q => q.Start == start && q.End == start.AddMinutes(2));
        (await kit.Reports.ListAsync("01EXECUTION-01STAGECANARY", CancellationToken.None)).Select(r => r.Interval).ShouldBe([1, 2]);

        var verdict = await kit.RunAsync(kit.Aggregate, stage);
        verdict.Status.ShouldBe(ExecutionStatus.Succeeded);
        stage.Outputs["canaryScores"]!.AsArray().Count.ShouldBe(2);
        stage.Outputs["canaryScoreMessage"].AsString().ShouldBe("Final canary score 100 met or exceeded the pass score threshold.");
        stage.Outputs["lastUpdated"].AsLong().ShouldBe(kit.Clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_canary_with_a_higher_error_rate_fails_at_the_first_interval_naming_the_score_thresholds_and_metric()
    {
        var id = await kit.SaveConfigAsync();
        kit.Source.Set("shop-canary", "errors", 3.0);
        var stage = CanaryStageKit.Stage(RealTime(id));
        await kit.RunAsync(kit.Intervals, stage);

        kit.Clock.Advance(TimeSpan.FromSeconds(61));
        var failed = await kit.RunAsync(kit.Intervals, stage);

        failed.Status.ShouldBe(ExecutionStatus.Terminal);
        var error = CanaryStageKit.ErrorOf(failed)!;
        error.ShouldStartWith("Canary score is not above the marginal score threshold at interval 1 of 2. Score 0 (pass 75, marginal 50). Worst metrics: errors (critical, High):");
        stage.Outputs["canaryScores"]!.AsArray().Select(s => s.AsDouble()).ShouldBe([0.0]);
        stage.Outputs["canaryScoreMessage"].AsString().ShouldBe(error);
        (stage.Context[CanaryIntervalRecord.ResultsKey] as JsonArray)!.Count.ShouldBe(1);
        kit.Source.Queries.Count.ShouldBe(4);
    }

    [Fact]
    public async Task With_continuePipeline_a_failed_interval_is_FAILED_CONTINUE()
    {
        var id = await kit.SaveConfigAsync();
        kit.Source.Set("shop-canary", "errors", 3.0);
        var stage = CanaryStageKit.Stage(RealTime(id, ""","continuePipeline":true"""));
        await kit.RunAsync(kit.Intervals, stage);
        kit.Clock.Advance(TimeSpan.FromSeconds(61));

        (await kit.RunAsync(kit.Intervals, stage)).Status.ShouldBe(ExecutionStatus.FailedContinue);
    }

    [Fact]
    public async Task The_final_verdict_takes_the_last_interval_and_fails_below_pass()
    {
        var id = await kit.SaveConfigAsync();
        kit.Source.Set("shop-canary", "latency", 3.0);
        var stage = CanaryStageKit.Stage(RealTime(id));
        await kit.RunAsync(kit.Intervals, stage);
        kit.Clock.Advance(TimeSpan.FromSeconds(61));
        (await kit.RunAsync(kit.Intervals, stage)).Status.ShouldBe(ExecutionStatus.Running);
        kit.Clock.Advance(TimeSpan.FromSeconds(61));
        (await kit.RunAsync(kit.Intervals, stage)).Status.ShouldBe(ExecutionStatus.Succeeded);

        var verdict = await kit.RunAsync(kit.Aggregate, stage);

        verdict.Status.ShouldBe(ExecutionStatus.Terminal);
        stage.Outputs["canaryScores"]!.AsArray().Select(s => s.AsDouble()).ShouldBe([60.0, 60.0]);
        CanaryStageKit.ErrorOf(verdict)!.ShouldStartWith("Final canary score 60 is below the pass score threshold. Score 60 (pass 75, marginal 50). Worst metrics: latency (High):");
    }

    [Fact]
    public async Task A_retrospective_canary_judges_its_growing_windows_without_waiting()
    {
        var id = await kit.SaveConfigAsync();
        var start = kit.Clock.GetUtcNow().AddHours(-1);
        var scope = $$"""{"controlScope":"a","experimentScope":"b","startTimeIso":"{{start:O}}","endTimeIso":"{{start.AddMinutes(3):O}}"}""";
        var stage = CanaryStageKit.Stage($$"""{"canaryConfig":{"canaryConfigId":"{{id}}","canaryAnalysisIntervalMins":1,"baselineAnalysisOffsetInMins":30,"scopes":[{{scope}}]""" + "}}");

        var results = new List<TaskResult>();
        for (var i = 0; i < 3; i++)
        {
            results.Add(await kit.RunAsync(kit.Intervals, stage));
        }

        results.Select(r => r.Status).ShouldBe([ExecutionStatus.Running, ExecutionStatus.Running, ExecutionStatus.Succeeded]);
        results[0].BackoffOverride.ShouldBe(TimeSpan.Zero);
        kit.Source.Queries.Where(q => q.Scope == "b").Select(q => (q.End - start).TotalMinutes).ShouldBe([1.0, 1, 2, 2, 3, 3]);
        kit.Source.Queries.Where(q => q.Scope == "a").ShouldAllBe(q => q.Start == start.AddMinutes(-30));
    }

    [Fact]
    public async Task A_config_is_found_by_name_within_the_application()
    {
        await kit.SaveConfigAsync();
        var stage = CanaryStageKit.Stage(RealTime("ignored").Replace("\"canaryConfigId\":\"ignored\"", "\"canaryConfigName\":\"checkout\"", StringComparison.Ordinal));
        await kit.RunAsync(kit.Intervals, stage);
        kit.Clock.Advance(TimeSpan.FromSeconds(61));

        (await kit.RunAsync(kit.Intervals, stage)).Status.ShouldBe(ExecutionStatus.Running);
        stage.Outputs["canaryScores"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_config_or_a_missing_lifetime_is_terminal_with_a_message_that_says_what_to_do()
    {
        var unknown = CanaryStageKit.Stage(RealTime("nope"));
        await kit.RunAsync(kit.Intervals, unknown);
        kit.Clock.Advance(TimeSpan.FromSeconds(61));
        CanaryStageKit.ErrorOf(await kit.RunAsync(kit.Intervals, unknown))!.ShouldContain("canary config 'nope' was not found");

        var noLifetime = CanaryStageKit.Stage("""{"canaryConfig":{"canaryConfigId":"x","scopes":[{"controlScope":"a","experimentScope":"b"}]}}""");
        CanaryStageKit.ErrorOf(await kit.RunAsync(kit.Intervals, noLifetime))!.ShouldContain("either endTime or lifetimeDuration");
    }

    [Fact]
    public void Validation_names_the_missing_fields()
    {
        var problems = new KayentaCanaryStage().Validate(MizzenJson.ParseObject("""{"canaryConfig":{"lifetimeDuration":"soon"}}"""), "stages[0]").ToList();
        problems.ShouldHaveSingleItem().Location.ShouldBe("stages[0].canaryConfig.lifetimeDuration");

        var missing = new KayentaCanaryStage().Validate(MizzenJson.ParseObject("""{"canaryConfig":{}}"""), "stages[0]").Select(p => p.Location).ToList();
        missing.ShouldBe(["stages[0].canaryConfig.canaryConfigId", "stages[0].canaryConfig.lifetimeDuration", "stages[0].canaryConfig.scopes"]);
    }
}
