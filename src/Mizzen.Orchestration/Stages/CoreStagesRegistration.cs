using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Stages.CheckPreconditions;
using Mizzen.Orchestration.Stages.EvaluateVariables;
using Mizzen.Orchestration.Stages.ExecutionWindow;
using Mizzen.Orchestration.Stages.FindArtifactFromExecution;
using Mizzen.Orchestration.Stages.ManualJudgment;
using Mizzen.Orchestration.Stages.Pipeline;
using Mizzen.Orchestration.Stages.Wait;
using Mizzen.Orchestration.Stages.Webhook;

namespace Mizzen.Orchestration.Stages;

/// <summary>Registration of the stage types that need no cloud provider.</summary>
public static class StageTypes
{
    /// <summary>
    /// Registers wait, manualJudgment, evaluateVariables, checkPreconditions (+ checkPrecondition), pipeline, webhook,
    /// restrictExecutionDuringTimeWindow and findArtifactFromExecution (with artifact accounts and fetching, <see cref="ArtifactServiceCollectionExtensions.AddMizzenArtifacts"/>): every definition as <see cref="IStageDefinition"/>, every task as itself
    /// (singleton), the precondition kinds as <see cref="IPrecondition"/>, the <c>"webhook"</c> HTTP client and
    /// <see cref="ExecutionWindowOptions"/>, and the sweep that cancels child runs a crash orphaned (<see cref="OrphanedChildRuns"/>).
    /// Everything uses TryAdd*, so a host can replace any part first.
    /// Needs from elsewhere: IExpressionEvaluator, IExecutionRunner, IExecutionStore, IPipelineConfigStore, INodeCoordination (the
    /// store registration adds it; the orphan sweep runs on the leader), logging.
    /// </summary>
    public static IServiceCollection AddCoreStages(this IServiceCollection services)
    {
        Definition<WaitStage>(services);
        Definition<ManualJudgmentStage>(services);
        Definition<EvaluateVariablesStage>(services);
        Definition<CheckPreconditionsStage>(services);
        Definition<CheckPreconditionStage>(services);
        Definition<PipelineStage>(services);
        Definition<WebhookStage>(services);
        Definition<ExecutionWindowStage>(services);
        Definition<FindArtifactFromExecutionStage>(services);

        services.TryAddSingleton(sp => new OrphanedChildRuns(
            sp.GetRequiredService<Persistence.Executions.IExecutionStore>(),
            sp.GetServices<IStageDefinition>().OfType<PipelineStage>().First(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OrphanedChildRuns>>()));
        services.TryAddSingleton(TimeProvider.System); // the orphan sweep's clock; AddMizzenEngine (or a test clock) registers it first
        services.AddHostedService<OrphanedChildRunsService>();
        services.AddMizzenArtifacts();
        services.TryAddSingleton<WaitTask>();
        services.TryAddSingleton<WaitForJudgmentTask>();
        services.TryAddSingleton<EvaluateVariablesTask>();
        services.TryAddSingleton<CheckPreconditionTask>();
        services.TryAddSingleton<StartPipelineTask>();
        services.TryAddSingleton<MonitorPipelineTask>();
        services.TryAddSingleton<CreateWebhookTask>();
        services.TryAddSingleton<WaitBeforeMonitorTask>();
        services.TryAddSingleton<MonitorWebhookTask>();
        services.TryAddSingleton<SuspendExecutionDuringTimeWindowTask>();
        services.TryAddSingleton<WaitForJitterTask>();
        services.TryAddSingleton<FindArtifactFromExecutionTask>();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrecondition, ExpressionPrecondition>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrecondition, StageStatusPrecondition>());

        services.TryAddSingleton<WebhookHttpClient>();
        if (!services.Any(d => d.ServiceType == typeof(WebhookClientMarker)))
        {
            services.AddSingleton<WebhookClientMarker>();
            WebhookHttpClient.Register(services);
        }

        services.AddOptions<ExecutionWindowOptions>()
            .Validate(o => o.HasKnownTimeZone(), "ExecutionWindowOptions.TimeZone must be an IANA time zone this machine knows, e.g. America/Los_Angeles");
        return services;
    }

    private static void Definition<TDefinition>(IServiceCollection services) where TDefinition : class, IStageDefinition =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageDefinition, TDefinition>());

    /// <summary>Keeps a second <see cref="AddCoreStages"/> call from configuring the webhook client twice.</summary>
    private sealed class WebhookClientMarker;
}
