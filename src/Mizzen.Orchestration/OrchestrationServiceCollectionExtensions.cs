using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Engine.Handlers;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Orchestration;

public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>The engine: handlers, the queue worker, the runner. Stage types are added by their own registrations.</summary>
    public static IServiceCollection AddMizzenEngine(this IServiceCollection services, IConfiguration? configuration = null, bool startWorker = true)
    {
        if (configuration is not null)
        {
            services.Configure<EngineOptions>(configuration.GetSection("Mizzen:Engine"));
        }

        services.AddOptions<EngineOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StageCatalog>();
        services.TryAddSingleton<StagePlanner>();
        services.TryAddSingleton<StageContextEvaluator>();
        services.TryAddSingleton<TaskResolver>();
        services.TryAddSingleton<ConcurrencyGate>();
        services.TryAddSingleton<RunningTaskRegistry>();
        services.TryAddSingleton<ExecutionEvents>();
        services.TryAddSingleton<EngineMetrics>();
        services.TryAddSingleton<ExecutionFactory>();
        services.TryAddSingleton<Artifacts.ExpectedArtifactResolver>();
        services.TryAddSingleton<INodeAffinity>(AnyNode.Instance);
        services.TryAddSingleton<RunTaskProcessor>();
        services.TryAddSingleton<StageStarter>();
        services.TryAddSingleton<StageEvaluationProcessor>();
        services.TryAddSingleton<MessageProcessor>();
        services.TryAddSingleton<Validation.PipelineValidator>();
        services.TryAddSingleton<ExecutionRunner>();
        services.TryAddSingleton<IExecutionRunner>(sp => sp.GetRequiredService<ExecutionRunner>());
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IMessageHandler, StartExecutionHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, StartStageHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, StartTaskHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, CompleteTaskHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, CompleteStageHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, SkipStageHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, ContinueParentStageHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, CompleteExecutionHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, CancelStageHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, RescheduleExecutionHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, RestartStageHandler>(),
            ServiceDescriptor.Singleton<IMessageHandler, StartWaitingExecutionsHandler>(),
        ]);
        if (startWorker)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QueueWorker>());
        }

        return services;
    }
}
