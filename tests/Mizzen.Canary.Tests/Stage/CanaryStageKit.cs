using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Stage;
using Mizzen.Canary.Storage;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence.Documents;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Stage;

/// <summary>
/// The stage's two tasks over a fake metric source, the canary stores on a real SQLite file and a test clock, driven the
/// way the engine drives them: call, merge the result into the stage, call again. Dispose it (the data folder goes).
/// </summary>
internal sealed class CanaryStageKit : IDisposable
{
    private readonly SqliteTestStore sqlite;

    public const string ConfigJson = """
        {"name":"checkout","metrics":[
          {"name":"errors","groups":["e"],"query":{"type":"fake"},"analysisConfigurations":{"canary":{"direction":"increase","critical":true}}},
          {"name":"latency","groups":["l"],"query":{"type":"fake"},"analysisConfigurations":{"canary":{"direction":"increase"}}}],
         "classifier":{"groupWeights":{"e":60,"l":40}}}
        """;

    public CanaryStageKit()
    {
        Runner = new CanaryRunner(new MetricsSourceRegistry([Source]), new NetflixAcaJudge(), NullLogger<CanaryRunner>.Instance);
        sqlite = new SqliteTestStore(Clock);
        Configs = new DocumentCanaryConfigStore(sqlite.Get<IDocumentStore>());
        Reports = new DocumentCanaryReportStore(sqlite.Get<IDocumentStore>());
        Intervals = new RunCanaryIntervalsTask(Runner, new CanaryConfigResolver(Configs), Reports, NullLogger<RunCanaryIntervalsTask>.Instance);
    }

    public FakeTimeProvider Clock { get; } = TestTime.Clock();

    public FakeMetricsSource Source { get; } = new();

    public CanaryRunner Runner { get; }

    public ICanaryConfigStore Configs { get; }

    public ICanaryReportStore Reports { get; }

    public RunCanaryIntervalsTask Intervals { get; }

    public AggregateCanaryResultsTask Aggregate { get; } = new();

    public void Dispose() => sqlite.Dispose();

    public async Task<string> SaveConfigAsync(string application = "shop")
        => (await Configs.SaveAsync(application, CanaryConfigJson.Parse(ConfigJson), "alice", CancellationToken.None)).Id;

    public static StageExecution Stage(string contextJson) => new()
    {
        Id = "01STAGECANARY",
        RefId = "2",
        Type = KayentaCanaryStage.StageType,
        Name = "Canary",
        Status = ExecutionStatus.Running,
        Context = MizzenJson.ParseObject(contextJson),
    };

    public static PipelineExecution Execution(params StageExecution[] stages) => new()
    {
        Id = "01EXECUTION",
        Application = "shop",
        Name = "release",
        Status = ExecutionStatus.Running,
        Trigger = new JsonObject { ["type"] = "manual", ["user"] = "alice" },
        Authentication = new AuthenticationDetails { User = "alice" },
        Stages = [.. stages],
    };

    /// <summary>Runs <paramref name="task"/> once against <paramref name="stage"/> and merges its result, as the engine does.</summary>
    public async Task<TaskResult> RunAsync(ITask task, StageExecution stage, PipelineExecution? execution = null)
    {
        execution ??= Execution(stage);
        var context = new TaskContext(execution, stage, new TaskExecution { Id = "1", Name = "task", Status = ExecutionStatus.Running }, (JsonObject)stage.Context.DeepClone(), Clock);
        var result = await task.ExecuteAsync(context, CancellationToken.None);
        foreach (var (key, value) in result.Context ?? [])
        {
            stage.Context[key] = value?.DeepClone();
        }

        foreach (var (key, value) in result.Outputs ?? [])
        {
            stage.Outputs[key] = value?.DeepClone();
        }

        return result;
    }

    public static string? ErrorOf(TaskResult result) => result.Context?["exception"]?["details"]?["errors"]?[0]?.GetValue<string>();
}
