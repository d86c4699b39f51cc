using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests;

/// <summary>
/// <see cref="ExecutionQuery.Expand"/> on every backend: an unexpanded list keeps each stage's name, type, status, times and graph
/// links but not its context, outputs or tasks; the default list and a single read stay whole.
/// </summary>
public abstract class ExecutionListExpandTests(StoreBackend backend) : IAsyncLifetime
{
    private StoreServices services = null!;

    public async Task InitializeAsync() => services = await StoreServices.CreateAsync(backend, TestTime.Clock());

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task An_unexpanded_list_has_each_stage_without_context_outputs_or_tasks()
    {
        await SaveAsync(Run("run-1", 1000), Run("run-2", 2000));
        var executions = services.Get<IExecutionStore>();

        var list = await executions.ListAsync(new ExecutionQuery { Application = "app", Expand = false }, CancellationToken.None);

        list.Select(e => e.Id).ShouldBe(["run-2", "run-1"]);
        foreach (var run in list)
        {
            run.Trigger["type"].ShouldNotBeNull().GetValue<string>().ShouldBe("manual");
            run.Stages.Select(s => (s.Id, s.RefId, s.Type, s.Name, s.Status, s.StartTime, s.EndTime, s.ParentStageId, s.SyntheticStageOwner))
                .ShouldBe([
                    (run.Id + "-deploy", "1", "deploy", "Deploy", ExecutionStatus.Succeeded, 10L, 20L, null, null),
                    (run.Id + "-judge", "2", "manualJudgment", "Approve", ExecutionStatus.Running, 30L, null, null, null),
                    (run.Id + "-before", null, "wait", "Warm up", ExecutionStatus.Succeeded, 11L, 12L, run.Id + "-deploy", SyntheticStageOwner.StageBefore),
                ]);
            run.Stages[1].RequisiteStageRefIds.ShouldBe(["1"]);
            run.Stages.ShouldAllBe(s => s.Context.Count == 0 && s.Outputs.Count == 0 && s.Tasks.Count == 0);
        }
    }

    [Fact]
    public async Task A_list_is_expanded_by_default_and_a_single_read_is_whole()
    {
        await SaveAsync(Run("run-1", 1000));
        var executions = services.Get<IExecutionStore>();

        var listed = (await executions.ListAsync(new ExecutionQuery { Application = "app" }, CancellationToken.None)).ShouldHaveSingleItem();
        var read = (await executions.GetAsync("run-1", CancellationToken.None)).ShouldNotBeNull();

        foreach (var run in new[] { listed, read })
        {
            run.Stages[0].Context["account"].ShouldNotBeNull().GetValue<string>().ShouldBe("prod");
            run.Stages[0].Outputs["deployed"].ShouldNotBeNull().GetValue<string>().ShouldBe("web-v001");
            run.Stages[0].Tasks.Select(t => t.Name).ShouldBe(["deploy"]);
            run.Stages[1].Context["instructions"].ShouldNotBeNull().GetValue<string>().ShouldBe("Check the dashboards");
        }
    }

    [Fact]
    public async Task An_unexpanded_list_filters_and_limits_as_the_expanded_one()
    {
        await SaveAsync(Run("a-1", 1000, "a"), Run("a-2", 2000, "a"), Run("a-3", 3000, "a"), Run("b-1", 1500, "b"));
        var executions = services.Get<IExecutionStore>();
        var query = new ExecutionQuery { Application = "app", Limit = 2, Statuses = [ExecutionStatus.Running] };

        var expanded = await executions.ListAsync(query, CancellationToken.None);
        var unexpanded = await executions.ListAsync(query with { Expand = false }, CancellationToken.None);

        unexpanded.Select(e => (e.Id, e.Status)).ShouldBe(expanded.Select(e => (e.Id, e.Status)));
        unexpanded.Select(e => e.Id).ShouldBe(["a-3", "a-2"]);
        unexpanded.ShouldAllBe(e => e.Stages.Count == 3);
    }

    private async Task SaveAsync(params PipelineExecution[] runs)
    {
        await using var transaction = await services.Get<IStore>().BeginAsync(CancellationToken.None);
        foreach (var run in runs)
        {
            transaction.AddExecution(run);
        }

        await transaction.CommitAsync(CancellationToken.None);
    }

    private static PipelineExecution Run(string id, long at, string config = "cfg") => new()
    {
        Id = id,
        Application = "app",
        PipelineConfigId = config,
        Status = ExecutionStatus.Running,
        BuildTime = at,
        StartTime = at,
        Trigger = new JsonObject { ["type"] = "manual" },
        Stages =
        [
            new StageExecution
            {
                Id = id + "-deploy", RefId = "1", Type = "deploy", Name = "Deploy", Status = ExecutionStatus.Succeeded, StartTime = 10, EndTime = 20,
                Context = new JsonObject { ["account"] = "prod", ["big"] = new string('x', 4000) },
                Outputs = new JsonObject { ["deployed"] = "web-v001" },
                Tasks = [new TaskExecution { Id = "1", Name = "deploy", ImplementingClass = "deploy", Status = ExecutionStatus.Succeeded }],
            },
            new StageExecution
            {
                Id = id + "-judge", RefId = "2", Type = "manualJudgment", Name = "Approve", Status = ExecutionStatus.Running, StartTime = 30,
                RequisiteStageRefIds = ["1"], Context = new JsonObject { ["instructions"] = "Check the dashboards" },
            },
            new StageExecution
            {
                Id = id + "-before", Type = "wait", Name = "Warm up", Status = ExecutionStatus.Succeeded, StartTime = 11, EndTime = 12,
                ParentStageId = id + "-deploy", SyntheticStageOwner = SyntheticStageOwner.StageBefore,
                Context = new JsonObject { ["waitTime"] = 5 },
            },
        ],
    };
}

public sealed class ExecutionListExpandTestsOnSqlite() : ExecutionListExpandTests(StoreBackend.Sqlite);

public sealed class ExecutionListExpandTestsOnPostgres() : ExecutionListExpandTests(StoreBackend.Postgres);
