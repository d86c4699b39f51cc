using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// The lifecycle seam notifications hang on: <c>notifyLifecycle</c> is pushed with the change only for runs and stages that have
/// notifications, the listeners are told after the commit, and a listener that keeps failing is given up on without touching the run.
/// </summary>
public abstract class LifecycleEventTests(StoreBackend backend) : IAsyncLifetime
{
    private readonly RecordingListener listener = new();
    private EngineHarness engine = null!;

    public async Task InitializeAsync() =>
        engine = await EngineHarness.CreateAsync(backend, s => s.AddSingleton<IExecutionLifecycleListener>(listener));

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }

    private const string Notify = """ "sendNotifications":true,"notifications":[{"type":"slack","address":"#x","when":["stage.complete"]}] """;

    [Fact]
    public async Task A_run_with_notifications_tells_its_events_in_order_and_only_for_stages_that_have_notifications()
    {
        var run = await engine.StartAndRunAsync($$"""
            {"notifications":[{"type":"email","address":"a@example.com","when":["pipeline.complete"]}],
             "stages":[{"refId":"a","type":"test.noop","name":"a",{{Notify}}},
                       {"refId":"b","requisiteStageRefIds":["a"],"type":"test.synthetic","name":"b"},
                       {"refId":"c","requisiteStageRefIds":["b"],"type":"test.fail","name":"c","failPipeline":false,{{Notify}}}]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        var a = EngineHarness.Stage(run, "a").Id;
        var c = EngineHarness.Stage(run, "c").Id;
        listener.Told.Select(t => (t.Name, t.StageId)).ShouldBe([
            ("pipeline.starting", null), ("stage.starting", a), ("stage.complete", a), ("stage.starting", c), ("stage.failed", c), ("pipeline.complete", null),
        ]);
        listener.Told.Select(t => t.Key).Distinct().Count().ShouldBe(6);
    }

    [Fact]
    public async Task A_run_without_notifications_tells_nothing()
    {
        var run = await engine.StartAndRunAsync("""{"stages":[{"refId":"a","type":"test.noop","name":"a"},{"refId":"b","requisiteStageRefIds":["a"],"type":"test.fail","name":"b"}]}""");

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        listener.Told.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failed_run_tells_pipeline_failed_and_a_cancelled_one_tells_no_end()
    {
        const string Pipeline = """
            {"notifications":[{"type":"email","address":"a@example.com","when":["pipeline.failed"]}],
             "stages":[{"refId":"a","type":"test.slow","name":"a","durationMs":60000}]}
            """;
        var failed = await engine.StartAndRunAsync(Pipeline.Replace("test.slow", "test.fail", StringComparison.Ordinal));
        var cancelled = await engine.StartAndRunAsync(Pipeline);
        await engine.Runner.CancelAsync(cancelled.Id, "alice", null, CancellationToken.None);
        await engine.RunUntilIdleAsync();

        failed.Status.ShouldBe(ExecutionStatus.Terminal);
        (await engine.GetAsync(cancelled.Id)).Status.ShouldBe(ExecutionStatus.Canceled);
        listener.Told.Where(t => t.ExecutionId == failed.Id).Select(t => t.Name).ShouldBe(["pipeline.starting", "pipeline.failed"]);
        listener.Told.Where(t => t.ExecutionId == cancelled.Id).Select(t => t.Name).ShouldBe(["pipeline.starting"]);
    }

    [Fact]
    public async Task A_listener_that_keeps_failing_is_retried_with_backoff_then_given_up_and_the_run_stays_succeeded()
    {
        listener.Fail = true;

        var run = await engine.StartAndRunAsync("""
            {"notifications":[{"type":"email","address":"a@example.com","when":["pipeline.complete"]}],"stages":[{"refId":"a","type":"test.noop","name":"a"}]}
            """);
        await engine.AdvanceAsync(TimeSpan.FromMinutes(5));

        run.Status.ShouldBe(ExecutionStatus.Succeeded);
        (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        listener.Told.Count(t => t.Name == "pipeline.complete").ShouldBe(5); // EngineOptions.MaxAttempts
        (await engine.Services.GetRequiredService<Persistence.Queue.IMessageQueue>().DepthAsync(CancellationToken.None)).ShouldBe(0);
    }

    private sealed class RecordingListener : IExecutionLifecycleListener
    {
        public ConcurrentQueue<ExecutionLifecycleEvent> Told { get; } = new();

        public bool Fail { get; set; }

        public Task OnLifecycleAsync(ExecutionLifecycleEvent lifecycle, PipelineExecution execution, CancellationToken cancellationToken)
        {
            Told.Enqueue(lifecycle);
            return Fail ? throw new InvalidOperationException("the listener failed on purpose") : Task.CompletedTask;
        }
    }
}

public sealed class LifecycleEventTestsOnSqlite() : LifecycleEventTests(StoreBackend.Sqlite);

public sealed class LifecycleEventTestsOnPostgres() : LifecycleEventTests(StoreBackend.Postgres);
