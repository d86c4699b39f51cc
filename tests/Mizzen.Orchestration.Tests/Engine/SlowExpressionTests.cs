using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration.Engine;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

/// <summary>
/// Expressions that reach the network (<c>#fromUrl</c>) are evaluated outside every store transaction: a run blocked
/// on a slow URL holds no lock, so other runs go on. The real queue worker on a real SQLite file, and a real HTTP
/// server on loopback that answers only when the test opens its gate.
/// </summary>
public abstract class SlowExpressionTests(StoreBackend backend) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly GatedHttpServer server = new("v42");
    private EngineHarness engine = null!;

    public async Task InitializeAsync()
    {
        engine = await EngineHarness.CreateAsync(backend, services =>
        {
            services.Configure<ExpressionOptions>(o => o.Url.AllowedHosts.Add("127.0.0.1"));
            services.Configure<EngineOptions>(o => o.Concurrency = 4);
            services.AddMizzenEngine(startWorker: true);
        });
        await Worker.StartAsync(CancellationToken.None);
    }

    private IHostedService Worker => engine.Services.GetServices<IHostedService>().OfType<QueueWorker>().Single();

    [Fact]
    public async Task A_run_waiting_on_a_slow_url_holds_up_no_other_run_and_finishes_with_the_fetched_value()
    {
        var slow = await engine.StartAsync($$"""
            {"name":"slow","stages":[{"refId":"1","type":"test.noop","name":"fetch","version":"app-${#fromUrl('{{server.Url("/version")}}')}"}]}
            """);
        await server.RequestArrived.WaitAsync(Deadline);

        // Starting a run is a write transaction too: it would wait behind a lock held during the fetch, hence the deadline.
        var quick = await engine.StartAsync("""
            {"name":"quick","stages":[
              {"refId":"1","type":"test.noop","name":"s1"},
              {"refId":"2","type":"test.noop","name":"s2","requisiteStageRefIds":["1"]},
              {"refId":"3","type":"test.noop","name":"s3","requisiteStageRefIds":["2"]},
              {"refId":"4","type":"test.noop","name":"s4","requisiteStageRefIds":["3"]},
              {"refId":"5","type":"test.noop","name":"s5","requisiteStageRefIds":["4"]}]}
            """).WaitAsync(Deadline);
        var quickDone = await WaitUntilCompleteAsync(quick.Id);

        quickDone.Status.ShouldBe(ExecutionStatus.Succeeded);
        quickDone.Stages.ShouldAllBe(s => s.Status == ExecutionStatus.Succeeded);
        var waiting = await engine.GetAsync(slow.Id);
        waiting.Status.ShouldBe(ExecutionStatus.Running);
        EngineHarness.Stage(waiting, "fetch").Status.ShouldBe(ExecutionStatus.NotStarted);

        server.Release();
        var slowDone = await WaitUntilCompleteAsync(slow.Id);

        slowDone.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(slowDone, "fetch").Context["version"]!.GetValue<string>().ShouldBe("app-v42");
        server.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task A_run_cancelled_while_its_stage_waits_on_a_url_ends_canceled_and_the_late_answer_starts_nothing()
    {
        var slow = await engine.StartAsync($$"""
            {"name":"slow","stages":[{"refId":"1","type":"test.noop","name":"fetch","version":"${#fromUrl('{{server.Url("/version")}}')}"}]}
            """);
        await server.RequestArrived.WaitAsync(Deadline);

        await engine.Runner.CancelAsync(slow.Id, "tester", "changed my mind", CancellationToken.None).WaitAsync(Deadline);
        var canceled = await WaitUntilCompleteAsync(slow.Id);
        canceled.Status.ShouldBe(ExecutionStatus.Canceled);

        server.Release();
        await WaitUntilQueueIsEmptyAsync(slow.Id);
        var after = await engine.GetAsync(slow.Id);
        after.Status.ShouldBe(ExecutionStatus.Canceled);
        var stage = EngineHarness.Stage(after, "fetch");
        stage.Status.ShouldBe(ExecutionStatus.NotStarted);
        stage.Tasks.ShouldBeEmpty();
        stage.Context["version"]!.GetValue<string>().ShouldStartWith("${#fromUrl(");
    }

    [Fact]
    public async Task A_stage_enabled_condition_that_waits_on_a_url_holds_up_no_other_run()
    {
        var slow = await engine.StartAsync($$$"""
            {"name":"slow","stages":[{"refId":"1","type":"test.noop","name":"maybe",
              "stageEnabled":{"type":"expression","expression":"#fromUrl('{{{server.Url("/enabled")}}}') == 'v42'"}}]}
            """);
        await server.RequestArrived.WaitAsync(Deadline);

        var quick = await engine.StartAsync("""{"name":"quick","stages":[{"refId":"1","type":"test.noop","name":"s1"}]}""").WaitAsync(Deadline);
        (await WaitUntilCompleteAsync(quick.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);

        server.Release();
        var done = await WaitUntilCompleteAsync(slow.Id);
        done.Status.ShouldBe(ExecutionStatus.Succeeded);
        EngineHarness.Stage(done, "maybe").Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    /// <summary>Every message handled, the evaluation's included (each handled message of the run publishes a change).</summary>
    private async Task WaitUntilQueueIsEmptyAsync(string executionId)
    {
        using var subscription = engine.Services.GetRequiredService<ExecutionEvents>().Subscribe(executionId, null);
        var queue = engine.Services.GetRequiredService<Persistence.Queue.IMessageQueue>();
        using var deadline = new CancellationTokenSource(Deadline);
        while (await queue.DepthAsync(CancellationToken.None) > 0)
        {
            await subscription.Changes.ReadAsync(deadline.Token);
        }
    }

    private async Task<PipelineExecution> WaitUntilCompleteAsync(string executionId)
    {
        using var subscription = engine.Services.GetRequiredService<ExecutionEvents>().Subscribe(executionId, null);
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var execution = await engine.GetAsync(executionId);
            if (execution.Status.IsComplete())
            {
                return execution;
            }

            try
            {
                await subscription.Changes.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"execution {executionId} is still {execution.Status.ToWireName()} after {Deadline.TotalSeconds} s");
            }
        }
    }

    public async Task DisposeAsync()
    {
        server.Release();
        await Worker.StopAsync(CancellationToken.None);
        await server.DisposeAsync();
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class SlowExpressionTestsOnSqlite() : SlowExpressionTests(StoreBackend.Sqlite);

public sealed class SlowExpressionTestsOnPostgres() : SlowExpressionTests(StoreBackend.Postgres);
