using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Triggers.Tests;

/// <summary>
/// A run ending starts the pipelines whose <c>pipeline</c> trigger names it, through the engine's own queue (the executionFinished
/// message), on the real store: the engine runs by hand here, message by message, as in the engine's tests.
/// </summary>
public abstract class PipelineTriggerTests(StoreBackend backend) : IAsyncLifetime
{
    private TriggerServices triggers = null!;
    private IServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        triggers = await TriggerServices.CreateAsync(backend, TestTime.Clock(), "mizzen-ptrig");
        services = triggers.Provider;
        var configs = services.GetRequiredService<IPipelineConfigStore>();
        await configs.SaveAsync(PipelineConfig.Parse("""
            {"id":"build","application":"shop","name":"build","parameterConfig":[{"name":"fail","default":"no"}],
             "stages":[{"refId":"1","type":"checkPreconditions","name":"gate",
                        "preconditions":[{"type":"expression","context":{"expression":"${parameters.fail == 'no'}"},"failPipeline":true}]}]}
            """), "tester", CancellationToken.None);
        await configs.SaveAsync(PipelineConfig.Parse("""
            {"id":"deploy","application":"cart","name":"deploy",
             "triggers":[{"type":"pipeline","enabled":true,"application":"shop","pipeline":"build","status":["successful"]}],
             "stages":[{"refId":"1","type":"evaluateVariables","name":"vars","variables":[{"key":"from","value":"${trigger.parentExecution.name}:${trigger.parentStatus}"}]}]}
            """), "tester", CancellationToken.None);
    }

    public async Task DisposeAsync() => await triggers.DisposeAsync();

    private Task RunUntilIdleAsync() => triggers.RunUntilIdleAsync();

    private async Task<PipelineExecution> BuildAsync(string fail)
    {
        var config = (await services.GetRequiredService<IPipelineConfigStore>().GetAsync("build", CancellationToken.None))!;
        var run = await services.GetRequiredService<IExecutionRunner>().StartAsync(config,
            new() { ["parameters"] = new System.Text.Json.Nodes.JsonObject { ["fail"] = fail } }, "tester", CancellationToken.None);
        await RunUntilIdleAsync();
        return (await services.GetRequiredService<IExecutionStore>().GetAsync(run.Id, CancellationToken.None))!;
    }

    private async Task<IReadOnlyList<PipelineExecution>> DeploysAsync() =>
        await services.GetRequiredService<IExecutionStore>().ListAsync(new ExecutionQuery { Application = "cart", Limit = 100 }, CancellationToken.None);

    [Fact]
    public async Task A_successful_parent_starts_the_dependent_pipeline_which_reads_the_parent()
    {
        var parent = await BuildAsync("no");

        parent.Status.ShouldBe(ExecutionStatus.Succeeded);
        var child = (await DeploysAsync()).ShouldHaveSingleItem();
        child.Status.ShouldBe(ExecutionStatus.Succeeded);
        child.Trigger["type"]!.GetValue<string>().ShouldBe("pipeline");
        child.Trigger["parentPipelineId"]!.GetValue<string>().ShouldBe(parent.Id);
        child.Trigger["parentExecution"]!["id"]!.GetValue<string>().ShouldBe(parent.Id);
        child.Stages[0].Outputs["from"]!.GetValue<string>().ShouldBe("build:SUCCEEDED");
    }

    [Fact]
    public async Task A_failed_parent_does_not_start_a_pipeline_waiting_for_success_and_the_trigger_says_why()
    {
        var parent = await BuildAsync("yes");

        parent.Status.ShouldBe(ExecutionStatus.Terminal);
        (await DeploysAsync()).ShouldBeEmpty();
        var last = await services.GetRequiredService<TriggerStatusStore>().GetAsync("deploy", 0, CancellationToken.None);
        last.ShouldNotBeNull().Reason.ShouldBe("the parent run ended TERMINAL (failed); this trigger fires on successful");
    }

    [Fact]
    public async Task Telling_the_listeners_again_after_a_crash_starts_nothing_twice()
    {
        var parent = await BuildAsync("no");

        // As if the process died after the listeners ran but before the message was removed: it is handled again.
        await services.GetRequiredService<IExecutionFinishedListener>().OnFinishedAsync(parent, CancellationToken.None);

        (await DeploysAsync()).ShouldHaveSingleItem();
    }
}

public sealed class PipelineTriggerTestsOnSqlite() : PipelineTriggerTests(StoreBackend.Sqlite);

public sealed class PipelineTriggerTestsOnPostgres() : PipelineTriggerTests(StoreBackend.Postgres);
