using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Queue;
using Mizzen.Persistence;
using Mizzen.Persistence.Queue;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>The durable <c>evaluateStage</c> step: delivered again after a crash, or twice, it starts its stage exactly once.</summary>
public abstract class StageEvaluationTests(StoreBackend backend)
{
    private const string Pipeline = """
        {"parameterConfig":[{"name":"version","default":"7"}],
         "stages":[{"refId":"1","type":"test.noop","name":"a","image":"app:${parameters.version}"},
                   {"refId":"2","requisiteStageRefIds":["1"],"type":"test.noop","name":"b"}]}
        """;

    [Fact]
    public async Task A_process_that_dies_while_evaluating_a_stage_loses_nothing_and_the_next_one_starts_it_once()
    {
        var first = await EngineHarness.CreateAsync(backend);
        var run = await first.StartAsync(Pipeline);
        var queue = first.Services.GetRequiredService<IMessageQueue>();
        var start = await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None);
        start.Single().Kind.ShouldBe("startExecution");
        await first.Services.GetRequiredService<MessageProcessor>().ProcessAsync(start[0], CancellationToken.None);

        // Claim the evaluation and "die" holding its lease, as a process killed mid-fetch would.
        (await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None)).Single().Kind.ShouldBe("evaluateStage");
        EngineHarness.Stage(await first.GetAsync(run.Id), "a").Status.ShouldBe(ExecutionStatus.NotStarted);
        await first.DisposeAsync();

        var second = EngineHarness.Reopen(first);
        try
        {
            await second.Services.GetRequiredService<IMessageQueue>().ReleaseNodeLeasesAsync(CancellationToken.None);
            await second.RunUntilIdleAsync();
            var done = await second.GetAsync(run.Id);
            done.Status.ShouldBe(ExecutionStatus.Succeeded);
            var a = EngineHarness.Stage(done, "a");
            a.Context["image"]!.GetValue<string>().ShouldBe("app:7");
            a.Tasks.Count.ShouldBe(1);
        }
        finally
        {
            await second.DisposeAsync();
            second.DeleteFolder();
        }
    }

    [Fact]
    public async Task An_evaluation_delivered_again_after_its_stage_started_changes_nothing()
    {
        await using var engine = await EngineHarness.CreateAsync(backend);
        try
        {
            var run = await engine.StartAndRunAsync(Pipeline);
            var before = EngineHarness.Stage(run, "a");

            await using (var transaction = await engine.Services.GetRequiredService<IStore>().BeginAsync(CancellationToken.None))
            {
                transaction.Push(MessageCodec.ToOutgoing(new EvaluateStage(run.Id, before.Id), engine.Clock.GetUtcNow().ToUnixTimeMilliseconds()));
                await transaction.CommitAsync(CancellationToken.None);
            }

            (await engine.RunUntilIdleAsync()).ShouldBeGreaterThan(0);
            var after = await engine.GetAsync(run.Id);
            after.Status.ShouldBe(ExecutionStatus.Succeeded);
            var a = EngineHarness.Stage(after, "a");
            a.StartTime.ShouldBe(before.StartTime);
            a.EndTime.ShouldBe(before.EndTime);
            a.Tasks.Count.ShouldBe(1);
        }
        finally
        {
            engine.DeleteFolder();
        }
    }

    [Fact]
    public async Task A_stage_whose_context_changed_while_it_was_evaluated_is_evaluated_again_from_the_new_context()
    {
        await using var engine = await EngineHarness.CreateAsync(backend);
        try
        {
            var run = await engine.StartAsync(Pipeline);
            var queue = engine.Services.GetRequiredService<IMessageQueue>();
            var processor = engine.Services.GetRequiredService<MessageProcessor>();
            await processor.ProcessAsync((await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None)).Single(), CancellationToken.None);
            var evaluate = (await queue.ClaimAsync(16, TimeSpan.FromMinutes(5), CancellationToken.None)).Single();

            // A change lands between the evaluation's snapshot and its transaction (as a PATCH would).
            await using (var transaction = await engine.Services.GetRequiredService<IStore>().BeginAsync(CancellationToken.None))
            {
                var execution = (await transaction.LoadExecutionAsync(run.Id, CancellationToken.None))!;
                EngineHarness.Stage(execution, "a").Context["image"] = "app:${parameters.version}-patched";
                await transaction.CommitAsync(CancellationToken.None);
            }

            await processor.ProcessAsync(evaluate, CancellationToken.None);
            await engine.RunUntilIdleAsync();

            var done = await engine.GetAsync(run.Id);
            done.Status.ShouldBe(ExecutionStatus.Succeeded);
            EngineHarness.Stage(done, "a").Context["image"]!.GetValue<string>().ShouldBe("app:7-patched");
        }
        finally
        {
            engine.DeleteFolder();
        }
    }
}

public sealed class StageEvaluationTestsOnSqlite() : StageEvaluationTests(StoreBackend.Sqlite);

public sealed class StageEvaluationTestsOnPostgres() : StageEvaluationTests(StoreBackend.Postgres);
