using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence;

namespace Mizzen.Server.Benchmarks.Shared;

/// <summary>
/// Writes stored runs straight into a data folder's SQLite store through the store's own transactions (1,000 runs per commit),
/// before the server starts: seeding 100,000 runs through the API would take longer than the figures it prepares.
/// </summary>
internal static class StoreSeeder
{
    /// <summary>Runs <paramref name="seed"/> with the services of the SQLite store of <paramref name="folder"/>.</summary>
    public static async Task WithSqliteStoreAsync(string folder, Func<IServiceProvider, Task> seed)
    {
        var services = new ServiceCollection().AddLogging();
        services.Configure<StorageOptions>(o => o.DataFolder = folder);
        services.AddSqliteStore();
        await using var provider = services.BuildServiceProvider();
        await seed(provider);
    }

    /// <summary>Adds runs <c>make(0)</c> … <c>make(count - 1)</c>, 1,000 per transaction.</summary>
    public static async Task AddRunsAsync(IServiceProvider services, int count, Func<int, PipelineExecution> make)
    {
        var store = services.GetRequiredService<IStore>();
        for (var batch = 0; batch < count; batch += 1000)
        {
            await using var transaction = await store.BeginAsync(CancellationToken.None);
            for (var i = batch; i < Math.Min(count, batch + 1000); i++)
            {
                transaction.AddExecution(make(i));
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
    }

    /// <summary>The listing bench's run: application <c>bench</c>, config <c>bench-config</c>, 10 succeeded wait stages.</summary>
    public static PipelineExecution FinishedRun(int n, long at) =>
        Run($"01BENCH{n:D19}", $"01BENCH{n:D15}", "bench", "bench-config", "deploy", at, ExecutionStatus.Succeeded, "v" + n);

    /// <summary>
    /// A finished run of 10 wait stages in a chain, each with one task, started at <paramref name="at"/>. A run that is not
    /// <see cref="ExecutionStatus.Succeeded"/> ends at its 8th stage with that status (with an error, as a failed stage has), and the
    /// stages after it are not started, as the engine leaves them.
    /// </summary>
    public static PipelineExecution Run(string id, string stagePrefix, string application, string configId, string name, long at, ExecutionStatus status, string version)
    {
        const int failingStage = 7;
        var stages = Enumerable.Range(0, 10).Select(s =>
        {
            var stageStatus = status == ExecutionStatus.Succeeded || s < failingStage ? ExecutionStatus.Succeeded
                : s == failingStage ? status : ExecutionStatus.NotStarted;
            var started = stageStatus != ExecutionStatus.NotStarted;
            var context = new JsonObject { ["waitTime"] = 0 };
            if (s == failingStage && status == ExecutionStatus.Terminal)
            {
                context["exception"] = new JsonObject { ["details"] = new JsonObject { ["error"] = "bench: the stage failed", ["errors"] = new JsonArray("bench: the stage failed") } };
            }

            return new StageExecution
            {
                Id = $"{stagePrefix}S{s:D3}",
                RefId = s.ToString(CultureInfo.InvariantCulture),
                Type = "wait",
                Name = "stage " + s,
                Status = stageStatus,
                StartTime = started ? at + (s * 100) : null,
                EndTime = started ? at + (s * 100) + 90 : null,
                Context = context,
                RequisiteStageRefIds = s == 0 ? [] : [(s - 1).ToString(CultureInfo.InvariantCulture)],
                Tasks = [new TaskExecution { Id = "1", Name = "wait", Status = stageStatus, StageStart = true, StageEnd = true }],
            };
        }).ToList();
        var end = stages.Where(s => s.EndTime is not null).Max(s => s.EndTime);
        return new PipelineExecution
        {
            Id = id,
            Application = application,
            Name = name,
            PipelineConfigId = configId,
            Status = status,
            BuildTime = at,
            StartTime = at,
            EndTime = end,
            Trigger = new JsonObject { ["type"] = "manual", ["user"] = "bench", ["parameters"] = new JsonObject { ["version"] = version } },
            Stages = stages,
        };
    }
}
