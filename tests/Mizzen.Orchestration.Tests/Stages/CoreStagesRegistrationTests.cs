using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mizzen.Core.Expressions;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.ExecutionWindow;
using Mizzen.Orchestration.Tests.Stages.Pipeline;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Orchestration.Tests.Stages;

public sealed class CoreStagesRegistrationTests
{
    private static ServiceProvider Services()
    {
        var store = new InMemoryExecutionStore();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IExpressionEvaluator>(new TableExpressionEvaluator())
            .AddSingleton<IExecutionStore>(store)
            .AddSingleton<IExecutionRunner>(new RecordingExecutionRunner(store))
            .AddSingleton<IPipelineConfigStore>(new InMemoryPipelineConfigStore())
            .AddSingleton<INodeCoordination>(new InProcessCoordination(Options.Create(new NodeOptions())))
            .AddCoreStages()
            .AddCoreStages()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public void Every_core_stage_type_is_registered_once()
    {
        using var services = Services();

        var definitions = services.GetServices<IStageDefinition>().ToList();

        definitions.Select(d => d.Type).Order(StringComparer.Ordinal).ShouldBe([
            "checkPrecondition", "checkPreconditions", "evaluateVariables", "findArtifactFromExecution", "manualJudgment", "pipeline",
            "restrictExecutionDuringTimeWindow", "wait", "webhook",
        ]);
    }

    [Fact]
    public void Every_task_a_core_stage_can_plan_resolves_from_the_container()
    {
        using var services = Services();
        var everything = StageTestKit.Stage("any", """
            {"waitForCompletion": true, "waitBeforeMonitor": 5, "preconditionType": "expression",
             "restrictedExecutionWindow": {"jitter": {"enabled": true, "maxDelay": 5}}}
            """);

        foreach (var definition in services.GetServices<IStageDefinition>())
        {
            var tasks = new TaskGraph();
            definition.BuildTasks(everything, tasks);
            foreach (var node in tasks.Nodes)
            {
                services.GetService(node.TaskType).ShouldNotBeNull($"{definition.Type} plans {node.TaskType.Name}");
            }
        }
    }

    [Fact]
    public void The_execution_window_time_zone_defaults_to_los_angeles_and_rejects_unknown_zones()
    {
        using var services = Services();
        services.GetRequiredService<IOptions<ExecutionWindowOptions>>().Value.TimeZone.ShouldBe("America/Los_Angeles");

        using var misconfigured = new ServiceCollection().AddLogging().AddCoreStages()
            .Configure<ExecutionWindowOptions>(o => o.TimeZone = "Nowhere/Special").BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => misconfigured.GetRequiredService<IOptions<ExecutionWindowOptions>>().Value)
            .Message.ShouldContain("IANA time zone");
    }
}
