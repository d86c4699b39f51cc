using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

public abstract class DagTests(StoreBackend backend) : IAsyncLifetime
{
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    [Fact]
    public async Task Linear_stages_without_ref_ids_run_in_order_and_the_run_succeeds()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"type":"test.noop","name":"a"},{"type":"test.noop","name":"b"},{"type":"test.noop","name":"c"}]}""");

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        run.Stages.Select(s => s.Status).ShouldAllBe(s => s == ExecutionStatus.Succeeded);
        run.Stages.Select(s => s.RefId).ShouldBe(["0", "1", "2"]);
        EngineHarness.Stage(run, "c").RequisiteStageRefIds.ShouldBe(["1"]);
        run.EndTime.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_join_starts_only_after_every_branch_and_sees_their_outputs()
    {
        var run = await engine.StartAsync("""
            {"stages":[
              {"refId":"a","type":"test.noop","name":"a"},
              {"refId":"fast","requisiteStageRefIds":["a"],"type":"test.noop","name":"fast"},
              {"refId":"slow","requisiteStageRefIds":["a"],"type":"test.slow","name":"slow","durationMs":5000},
              {"refId":"join","requisiteStageRefIds":["fast","slow"],"type":"test.noop","name":"join"}]}
            """);
        await engine.RunUntilIdleAsync();
        var midway = await engine.GetAsync(run.Id);
        EngineHarness.Stage(midway, "fast").Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(midway, "slow").Status.ShouldBe(ExecutionStatus.Running);
        EngineHarness.Stage(midway, "join").Status.ShouldBe(ExecutionStatus.NotStarted);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(6));

        var done = await engine.GetAsync(run.Id);
        done.Status.ShouldBe(ExecutionStatus.Succeeded);
        var join = EngineHarness.Stage(done, "join");
        join.StartTime!.Value.ShouldBeGreaterThanOrEqualTo(EngineHarness.Stage(done, "slow").EndTime!.Value);
        done.ResolveContextValue(join, "fastDone")!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Before_and_after_stages_run_around_the_stage_tasks_in_order()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.synthetic","name":"parent"}]}""");

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        run.Stages.Select(s => s.Name).ShouldBe(["before1", "before2", "parent", "after1"]);
        var parent = EngineHarness.Stage(run, "parent");
        var before2 = EngineHarness.Stage(run, "before2");
        var after1 = EngineHarness.Stage(run, "after1");
        before2.RefId.ShouldBe("1<2");
        before2.RequisiteStageRefIds.ShouldBe(["1<1"]);
        after1.SyntheticStageOwner.ShouldBe(SyntheticStageOwner.StageAfter);
        parent.Tasks[0].StartTime!.Value.ShouldBeGreaterThanOrEqualTo(before2.EndTime!.Value);
        after1.StartTime!.Value.ShouldBeGreaterThanOrEqualTo(parent.Tasks[0].EndTime!.Value);
        parent.EndTime!.Value.ShouldBeGreaterThanOrEqualTo(after1.EndTime!.Value);
    }

    [Fact]
    public async Task A_disabled_stage_is_skipped_and_the_stages_after_it_still_run()
    {
        var run = await engine.StartAndRunAsync("""
            {"parameterConfig":[{"name":"deploy","default":"no"}],
             "stages":[{"refId":"1","type":"test.noop","name":"maybe","stageEnabled":{"type":"expression","expression":"parameters.deploy == 'yes'"}},
                       {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"after"}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(run, "maybe").Status.ShouldBe(ExecutionStatus.Skipped);
        EngineHarness.Stage(run, "after").Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task A_stage_enabled_by_its_expression_runs()
    {
        var run = await engine.StartAndRunAsync(
            """{"parameterConfig":[{"name":"deploy","default":"no"}],"stages":[{"refId":"1","type":"test.noop","name":"maybe","stageEnabled":{"type":"expression","expression":"parameters.deploy == 'yes'"}}]}""",
            new System.Text.Json.Nodes.JsonObject { ["parameters"] = new System.Text.Json.Nodes.JsonObject { ["deploy"] = "yes" } });

        EngineHarness.Stage(run, "maybe").Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task Delivering_the_same_message_twice_changes_nothing()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"1","type":"test.noop","name":"a"}]}""");
        var before = Mizzen.Persistence.Executions.ExecutionSerializer.Serialize(run);
        await using (var transaction = await engine.Services.GetRequiredService<Mizzen.Persistence.IStore>().BeginAsync(CancellationToken.None))
        {
            var stageId = run.Stages[0].Id;
            transaction.Push(Queue.MessageCodec.ToOutgoing(new Queue.StartStage(run.Id, stageId), 0));
            transaction.Push(Queue.MessageCodec.ToOutgoing(new Queue.CompleteStage(run.Id, stageId), 0));
            transaction.Push(Queue.MessageCodec.ToOutgoing(new Queue.StartExecution(run.Id), 0));
            transaction.Push(Queue.MessageCodec.ToOutgoing(new Queue.CompleteExecution(run.Id), 0));
            await transaction.CommitAsync(CancellationToken.None);
        }

        (await engine.RunUntilIdleAsync()).ShouldBe(4);
        Mizzen.Persistence.Executions.ExecutionSerializer.Serialize(await engine.GetAsync(run.Id)).ShouldBe(before);
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class DagTestsOnSqlite() : DagTests(StoreBackend.Sqlite);

public sealed class DagTestsOnPostgres() : DagTests(StoreBackend.Postgres);
