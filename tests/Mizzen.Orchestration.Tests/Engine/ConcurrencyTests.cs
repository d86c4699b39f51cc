using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Testing.Stores;

namespace Mizzen.Orchestration.Tests.Engine;

public abstract class ConcurrencyTests(StoreBackend backend) : IAsyncLifetime
{
    private const string Slow = """{"stages":[{"refId":"1","type":"test.slow","name":"slow","durationMs":5000}]""";
    private EngineHarness engine = null!;

    public async Task InitializeAsync() => engine = await EngineHarness.CreateAsync(backend);

    [Fact]
    public async Task Limit_concurrent_holds_a_second_run_until_the_first_ends()
    {
        var first = await engine.StartAsync(Slow + ""","limitConcurrent":true}""");
        var second = await engine.StartAsync(Slow + ""","limitConcurrent":true}""");
        await engine.RunUntilIdleAsync();
        (await engine.GetAsync(first.Id)).Status.ShouldBe(ExecutionStatus.Running);
        (await engine.GetAsync(second.Id)).Status.ShouldBe(ExecutionStatus.NotStarted);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(6));
        (await engine.GetAsync(first.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        (await engine.GetAsync(second.Id)).Status.ShouldBe(ExecutionStatus.Running);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(6));
        (await engine.GetAsync(second.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
    }

    [Fact]
    public async Task Without_keep_waiting_the_newest_queued_run_starts_and_older_queued_ones_are_canceled()
    {
        var running = await engine.StartAsync(Slow + ""","limitConcurrent":true}""");
        await engine.RunUntilIdleAsync();
        var older = await engine.StartAsync(Slow + ""","limitConcurrent":true}""");
        var newer = await engine.StartAsync(Slow + ""","limitConcurrent":true}""");
        await engine.RunUntilIdleAsync();

        await engine.AdvanceAsync(TimeSpan.FromSeconds(6));

        (await engine.GetAsync(running.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        var canceled = await engine.GetAsync(older.Id);
        canceled.Status.ShouldBe(ExecutionStatus.Canceled);
        canceled.CancellationReason!.ShouldContain("newer queued execution");
        (await engine.GetAsync(newer.Id)).Status.ShouldBe(ExecutionStatus.Running);
    }

    [Fact]
    public async Task With_keep_waiting_queued_runs_start_in_order()
    {
        var runs = new List<PipelineExecution>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await engine.StartAsync(Slow + ""","limitConcurrent":true,"keepWaitingPipelines":true}"""));
        }

        await engine.RunUntilIdleAsync();
        await engine.AdvanceAsync(TimeSpan.FromSeconds(6));
        (await engine.GetAsync(runs[1].Id)).Status.ShouldBe(ExecutionStatus.Running);
        (await engine.GetAsync(runs[2].Id)).Status.ShouldBe(ExecutionStatus.NotStarted);
        await engine.AdvanceAsync(TimeSpan.FromSeconds(12));
        foreach (var run in runs)
        {
            (await engine.GetAsync(run.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        }
    }

    [Fact]
    public async Task Max_concurrent_executions_lets_that_many_run_at_once()
    {
        var runs = new List<PipelineExecution>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await engine.StartAsync(Slow + ""","limitConcurrent":false,"maxConcurrentExecutions":2,"keepWaitingPipelines":true}"""));
        }

        await engine.RunUntilIdleAsync();
        var statuses = new List<ExecutionStatus>();
        foreach (var run in runs)
        {
            statuses.Add((await engine.GetAsync(run.Id)).Status);
        }

        statuses.Count(s => s == ExecutionStatus.Running).ShouldBe(2);
        statuses.Count(s => s == ExecutionStatus.NotStarted).ShouldBe(1);
    }

    [Fact]
    public async Task A_queued_run_that_is_canceled_is_passed_over()
    {
        var first = await engine.StartAsync(Slow + ""","limitConcurrent":true,"keepWaitingPipelines":true}""");
        var second = await engine.StartAsync(Slow + ""","limitConcurrent":true,"keepWaitingPipelines":true}""");
        var third = await engine.StartAsync(Slow + ""","limitConcurrent":true,"keepWaitingPipelines":true}""");
        await engine.RunUntilIdleAsync();
        await engine.Runner.CancelAsync(second.Id, "zoe", null, CancellationToken.None);

        await engine.AdvanceAsync(TimeSpan.FromSeconds(6));

        (await engine.GetAsync(first.Id)).Status.ShouldBe(ExecutionStatus.Succeeded);
        (await engine.GetAsync(second.Id)).Status.ShouldBe(ExecutionStatus.Canceled);
        (await engine.GetAsync(third.Id)).Status.ShouldBe(ExecutionStatus.Running);
    }

    [Fact]
    public async Task A_required_parameter_without_a_value_is_refused_before_anything_is_stored()
    {
        var error = await Should.ThrowAsync<ValidationException>(() =>
            engine.StartAsync("""{"parameterConfig":[{"name":"version","required":true}],"stages":[{"type":"test.noop","name":"a"}]}"""));
        error.Problems[0].Location.ShouldBe("parameters.version");
    }

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        engine.DeleteFolder();
    }
}

public sealed class ConcurrencyTestsOnSqlite() : ConcurrencyTests(StoreBackend.Sqlite);

public sealed class ConcurrencyTestsOnPostgres() : ConcurrencyTests(StoreBackend.Postgres);
