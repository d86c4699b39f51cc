using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Persistence;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Postgres;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Shouldly;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// Two engines on one PostgreSQL database, each with its own <see cref="PostgresCoordination"/>: node b's worker runs a task,
/// node a (no worker) cancels the run, and the cancel reaches the task on node b. Node b's worker handles one message at a
/// time, so nothing on node b itself (its reschedule and cancel handlers) could have interrupted the task first.
/// </summary>
public sealed class TwoNodeCancelTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_cancel_on_one_node_interrupts_the_task_running_on_another_and_the_run_ends_canceled()
    {
        var store = await TestStore.CreateAsync(StoreBackend.Postgres, "twonode");
        var clock = TestTime.Clock();
        var task = new BlockingTask();
        await using var nodeA = await NodeAsync(store, clock, "node-a", task);
        await using var nodeB = await NodeAsync(store, clock, "node-b", task);
        var worker = new QueueWorker(
            nodeB.Services.GetRequiredService<IMessageQueue>(),
            nodeB.Services.GetRequiredService<INodeCoordination>(),
            nodeB.Services.GetRequiredService<MessageProcessor>(),
            Options.Create(new EngineOptions { Concurrency = 1, ReleaseLeasesOnStart = false }),
            clock,
            NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var config = PipelineConfig.Parse("""{"application":"shop","name":"deploy","stages":[{"refId":"1","type":"test.blocking","name":"long"}]}""");
            await nodeA.Services.GetRequiredService<IPipelineConfigStore>().SaveAsync(config, "tester", CancellationToken.None);
            var run = await nodeA.Services.GetRequiredService<IExecutionRunner>().StartAsync(config, [], "tester", CancellationToken.None);
            await task.Entered.Task.WaitAsync(Deadline);

            await nodeA.Services.GetRequiredService<IExecutionRunner>().CancelAsync(run.Id, "alice", "stop", CancellationToken.None);

            await task.Interrupted.Task.WaitAsync(Deadline);
            var executions = nodeA.Services.GetRequiredService<IExecutionStore>();
            var deadline = TimeProvider.System.GetUtcNow() + Deadline;
            while ((await executions.GetAsync(run.Id, CancellationToken.None))!.Status != ExecutionStatus.Canceled)
            {
                TimeProvider.System.GetUtcNow().ShouldBeLessThan(deadline, "the run did not end CANCELED on node b's worker");
#pragma warning disable RS0030 // node b's worker runs on real threads: poll the store
                await Task.Delay(TimeSpan.FromMilliseconds(20));
#pragma warning restore RS0030
            }

            task.Runs.ShouldBe(1);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }
    }

    private static async Task<Node> NodeAsync(TestStore store, TimeProvider clock, string id, BlockingTask task)
    {
        var coordination = new PostgresCoordination(
            Options.Create(new StorageOptions { Provider = "postgres", ConnectionString = store.ConnectionString }),
            Options.Create(new NodeOptions { Id = id, ConnectionCheckInterval = TimeSpan.FromMilliseconds(200) }),
            TimeProvider.System,
            NullLogger<PostgresCoordination>.Instance);
        await coordination.StartAsync(CancellationToken.None).WaitAsync(Deadline);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        services.AddSingleton<INodeCoordination>(coordination); // first, so the store's in-process fallback stays out
        store.AddTo(services);
        services.AddMizzenExpressions();
        services.AddMizzenEngine(startWorker: false);
        services.AddCoreStages();
        services.AddSingleton<IStageDefinition>(new BlockingStage());
        services.AddSingleton(task);
        return new Node(services.BuildServiceProvider(), coordination);
    }

    private sealed record Node(ServiceProvider Services, PostgresCoordination Coordination) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Coordination.DisposeAsync();
        }
    }

    private sealed class BlockingStage : IStageDefinition
    {
        public string Type => "test.blocking";

        public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<BlockingTask>("block");
    }

    /// <summary>Runs until its token is cancelled; says when it started and when it was interrupted.</summary>
    private sealed class BlockingTask : ITask
    {
        private int runs;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Interrupted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs => Volatile.Read(ref runs);

        public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref runs);
            Entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interrupted.TrySetResult();
                throw;
            }

            return TaskResult.Succeeded();
        }
    }
}
