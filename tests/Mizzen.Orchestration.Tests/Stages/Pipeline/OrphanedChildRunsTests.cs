using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.Pipeline;
using Mizzen.Orchestration.Tests.Engine;
using Mizzen.Persistence;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Stages.Pipeline;

/// <summary>
/// The parent's cancel reaches its child after the parent's commit; a crash in between is simulated by writing the parent's
/// stopped state straight to the store (what that commit left) and never running the after-commit action.
/// </summary>
public abstract class OrphanedChildRunsTests(StoreBackend backend) : IAsyncLifetime
{
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    [Fact]
    public async Task A_child_still_running_after_its_parent_stage_stopped_is_canceled_by_the_sweep_and_a_live_one_is_left_alone()
    {
        var child = PipelineConfig.Parse("""{"application":"app","name":"child","stages":[{"refId":"1","type":"wait","name":"long wait","waitTime":600}]}""");
        await engine.Configs.SaveAsync(child, "tester", CancellationToken.None);
        var parent = await engine.StartAndRunAsync(
            $$"""{"stages":[{"refId":"1","type":"pipeline","name":"run child","application":"app","pipeline":"{{child.Id}}","waitForCompletion":true}]}""");
        var parentStage = EngineHarness.Stage(parent, "run child");
        var childId = parentStage.Context[StartPipelineTask.ExecutionIdKey]!.GetValue<string>();
        (await engine.GetAsync(childId)).Status.ShouldBe(ExecutionStatus.Running);
        var sweep = engine.Services.GetRequiredService<OrphanedChildRuns>();

        (await sweep.SweepAsync(CancellationToken.None)).ShouldBe(0);

        await using (var transaction = await engine.Services.GetRequiredService<IStore>().BeginAsync(CancellationToken.None))
        {
            var stored = (await transaction.LoadExecutionAsync(parent.Id, CancellationToken.None))!;
            stored.Canceled = true;
            stored.Status = ExecutionStatus.Canceled;
            stored.StageById(parentStage.Id)!.Status = ExecutionStatus.Canceled;
            await transaction.CommitAsync(CancellationToken.None);
        }

        (await sweep.SweepAsync(CancellationToken.None)).ShouldBe(1);
        await engine.RunUntilIdleAsync();

        var canceled = await engine.GetAsync(childId);
        canceled.Status.ShouldBe(ExecutionStatus.Canceled);
        canceled.CancellationReason.ShouldNotBeNull().ShouldContain("was canceled");
        (await sweep.SweepAsync(CancellationToken.None)).ShouldBe(0);
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class OrphanedChildRunsTestsOnSqlite() : OrphanedChildRunsTests(StoreBackend.Sqlite);

public sealed class OrphanedChildRunsTestsOnPostgres() : OrphanedChildRunsTests(StoreBackend.Postgres);
