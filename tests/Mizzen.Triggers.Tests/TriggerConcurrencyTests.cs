using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Stores;
using Mizzen.Triggers.Webhook;

namespace Mizzen.Triggers.Tests;

/// <summary>
/// Runs started by triggers obey the pipeline's <c>limitConcurrent</c> like any other: a burst of events stores one run per event,
/// one runs, the others wait; with <c>keepWaitingPipelines: false</c> only the newest waiting run goes next (Spinnaker's purge).
/// The real engine, message by message, on the real store.
/// </summary>
public abstract class TriggerConcurrencyTests(StoreBackend backend) : IAsyncLifetime
{
    private TriggerServices triggers = null!;
    private IServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        triggers = await TriggerServices.CreateAsync(backend, TestTime.Clock(), "mizzen-trigconc");
        services = triggers.Provider;
    }

    public async Task DisposeAsync() => await triggers.DisposeAsync();

    private Task SaveAsync(bool keepWaiting) =>
        services.GetRequiredService<IPipelineConfigStore>().SaveAsync(PipelineConfig.Parse($$"""
            {"id":"deploy","application":"shop","name":"deploy","limitConcurrent":true,"keepWaitingPipelines":{{(keepWaiting ? "true" : "false")}},
             "triggers":[{"type":"webhook","enabled":true,"source":"ci"}],
             "stages":[{"refId":"1","type":"manualJudgment","name":"Approve"}]}
            """), "tester", CancellationToken.None);

    private async Task<string> PostAsync(string id) =>
        (await services.GetRequiredService<TriggerDispatcher>().DispatchAsync(
            WebhookTriggerType.EventFor("ci", new JsonObject { ["n"] = id }, id, "127.0.0.1"), CancellationToken.None))
        .ShouldHaveSingleItem().ExecutionId!;

    private Task RunUntilIdleAsync() => triggers.RunUntilIdleAsync();

    private async Task<ExecutionStatus> StatusAsync(string id) =>
        (await services.GetRequiredService<IExecutionStore>().GetAsync(id, CancellationToken.None))!.Status;

    [Fact]
    public async Task A_burst_of_events_runs_one_at_a_time_and_only_the_newest_waiting_run_goes_next()
    {
        await SaveAsync(keepWaiting: false);
        var first = await PostAsync("e1");
        await RunUntilIdleAsync();
        var second = await PostAsync("e2");
        var third = await PostAsync("e3");
        await RunUntilIdleAsync();

        (await StatusAsync(first)).ShouldBe(ExecutionStatus.Running);
        (await StatusAsync(second)).ShouldBe(ExecutionStatus.NotStarted);
        (await StatusAsync(third)).ShouldBe(ExecutionStatus.NotStarted);

        await services.GetRequiredService<IExecutionRunner>().CancelAsync(first, "tester", "make way", CancellationToken.None);
        await RunUntilIdleAsync();

        (await StatusAsync(first)).ShouldBe(ExecutionStatus.Canceled);
        (await StatusAsync(third)).ShouldBe(ExecutionStatus.Running);
        (await StatusAsync(second)).ShouldBe(ExecutionStatus.Canceled);
    }

    [Fact]
    public async Task With_keepWaitingPipelines_every_waiting_run_goes_in_turn()
    {
        await SaveAsync(keepWaiting: true);
        var first = await PostAsync("e1");
        await RunUntilIdleAsync();
        var second = await PostAsync("e2");
        var third = await PostAsync("e3");
        await RunUntilIdleAsync();
        (await StatusAsync(second)).ShouldBe(ExecutionStatus.NotStarted);

        await services.GetRequiredService<IExecutionRunner>().CancelAsync(first, "tester", null, CancellationToken.None);
        await RunUntilIdleAsync();

        (await StatusAsync(second)).ShouldBe(ExecutionStatus.Running);
        (await StatusAsync(third)).ShouldBe(ExecutionStatus.NotStarted);
    }
}

public sealed class TriggerConcurrencyTestsOnSqlite() : TriggerConcurrencyTests(StoreBackend.Sqlite);

public sealed class TriggerConcurrencyTestsOnPostgres() : TriggerConcurrencyTests(StoreBackend.Postgres);
