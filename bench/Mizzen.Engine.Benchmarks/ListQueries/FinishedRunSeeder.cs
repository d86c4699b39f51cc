using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Engine.Benchmarks.NoopStage;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence;

namespace Mizzen.Engine.Benchmarks.ListQueries;

/// <summary>
/// Stores finished runs shaped like the engine's own (ULID ids, one task per stage, times on every stage) through
/// <see cref="IStore"/>, a batch per transaction. Of every 1,000 runs: 900 SUCCEEDED, 70 TERMINAL, 30 CANCELED;
/// pipelines <c>deploy-00</c> .. <c>deploy-19</c> share the runs evenly except one in 1,000, which is <c>nightly-audit</c>.
/// </summary>
internal sealed class FinishedRunSeeder(IStore store, int stagesPerRun)
{
    public const string RarePipeline = "nightly-audit";
    private static readonly string TaskClass = typeof(BenchNoopTask).FullName!;
    private readonly SettableClock clock = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public async Task SeedAsync(string application, int count, int batchSize, CancellationToken cancellationToken)
    {
        var factory = new ExecutionFactory(clock);
        var configs = Enumerable.Range(0, 20).Select(i => Config(application, $"deploy-{i:00}")).Append(Config(application, RarePipeline)).ToArray();
        for (var done = 0; done < count;)
        {
            await using var transaction = await store.BeginAsync(cancellationToken);
            for (var i = 0; i < batchSize && done < count; i++, done++)
            {
                clock.Now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(done * 20.0);
                var config = done % 1000 == 999 ? configs[^1] : configs[done % 20];
                transaction.AddExecution(Finish(factory.Create(config, [], "bench"), (done % 1000) switch
                {
                    < 900 => ExecutionStatus.Succeeded,
                    < 970 => ExecutionStatus.Terminal,
                    _ => ExecutionStatus.Canceled,
                }, done));
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private PipelineConfig Config(string application, string name)
    {
        var stages = new JsonArray();
        for (var i = 1; i <= stagesPerRun; i++)
        {
            stages.Add(new JsonObject { ["type"] = BenchNoopStage.TypeName, ["name"] = $"noop {i}", ["note"] = "seeded by the engine benchmark" });
        }

        return new PipelineConfig(new JsonObject { ["id"] = $"cfg-{name}", ["application"] = application, ["name"] = name, ["stages"] = stages });
    }

    private static PipelineExecution Finish(PipelineExecution run, ExecutionStatus status, int seed)
    {
        var t = run.BuildTime!.Value + 5;
        run.StartTime = t;
        var failAt = status == ExecutionStatus.Succeeded ? int.MaxValue : seed % run.Stages.Count;
        for (var i = 0; i < run.Stages.Count && i <= failAt; i++)
        {
            var stage = run.Stages[i];
            var stageStatus = i == failAt ? status : ExecutionStatus.Succeeded;
            stage.Status = stageStatus;
            stage.StartTime = t;
            stage.EndTime = t += 3;
            stage.Tasks.Add(new TaskExecution
            {
                Id = "1", Name = "noop", ImplementingClass = TaskClass, Status = stageStatus,
                StartTime = stage.StartTime, EndTime = stage.EndTime, StageStart = true, StageEnd = true,
            });
            if (stageStatus == ExecutionStatus.Terminal)
            {
                stage.Context["exception"] = Orchestration.Tasks.TaskFailure.ExceptionJson("Task failed", ["seeded failure"]);
            }

            t += 2;
        }

        run.Status = status;
        run.EndTime = t;
        run.Canceled = status == ExecutionStatus.Canceled;
        return run;
    }
}
