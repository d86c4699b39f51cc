using System.Text.Json.Nodes;
using Mizzen.Canary.Configs;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Server.Audit;

/// <summary>
/// Decorators that audit the services both the REST API and the UI call: the engine's <see cref="IExecutionRunner"/> (starts,
/// cancels, judgments, restarts: by API, UI or trigger alike) and the config stores (saves and deletes, with the config before and
/// after). Recording here rather than in each route means the UI's actions, which call these services from a Blazor circuit without
/// an HTTP request, are audited as well. An entry is recorded only once the call succeeded; a refused call is left to
/// <see cref="AuditMiddleware"/>, which records the request with its status.
/// </summary>
public static class AuditingStores
{
    /// <summary>Wraps the registered <typeparamref name="TService"/> in <typeparamref name="TDecorator"/> (whose constructor takes the inner one).</summary>
    public static IServiceCollection Decorate<TService, TDecorator>(this IServiceCollection services)
        where TService : class
        where TDecorator : class, TService
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(TService))
                    ?? throw new InvalidOperationException($"{typeof(TService).Name} must be registered before it is decorated");
        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(typeof(TService), sp =>
        {
            var wrapped = inner.ImplementationInstance
                          ?? inner.ImplementationFactory?.Invoke(sp)
                          ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!);
            return ActivatorUtilities.CreateInstance<TDecorator>(sp, wrapped);
        }, inner.Lifetime));
        return services;
    }

    public static IServiceCollection AddMizzenAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.Configure<AuditOptions>(configuration.GetSection(AuditOptions.SectionName));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLog>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        services.Decorate<IExecutionRunner, AuditingExecutionRunner>();
        services.Decorate<IPipelineConfigStore, AuditingPipelineConfigStore>();
        services.Decorate<IApplicationStore, AuditingApplicationStore>();
        services.Decorate<ICanaryConfigStore, AuditingCanaryConfigStore>();
        return services;
    }
}

/// <summary>Audits every start, cancel, pause, resume, restart and stage update (a manual judgment is one) of runs.</summary>
internal sealed class AuditingExecutionRunner(IExecutionRunner inner, IAuditLog audit) : IExecutionRunner
{
    public async Task<PipelineExecution> StartAsync(PipelineConfig config, JsonObject trigger, string user, CancellationToken cancellationToken) =>
        Started(await inner.StartAsync(config, trigger, user, cancellationToken), trigger, user);

    public async Task<PipelineExecution> StartAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<IStoreTransaction, PipelineExecution, bool> alongside, CancellationToken cancellationToken) =>
        Started(await inner.StartAsync(config, trigger, user, alongside, cancellationToken), trigger, user);

    public async Task<PipelineExecution> StartOrchestrationAsync(string application, string description, JsonArray stages, string user, CancellationToken cancellationToken)
    {
        var run = await inner.StartOrchestrationAsync(application, description, stages, user, cancellationToken);
        audit.Record(new AuditEntry("orchestration.started", $"execution:{run.Id}") { User = user, Detail = $"{application}: {description}" });
        return run;
    }

    public async Task CancelAsync(string executionId, string user, string? reason, CancellationToken cancellationToken)
    {
        await inner.CancelAsync(executionId, user, reason, cancellationToken);
        audit.Record(new AuditEntry("execution.canceled", $"execution:{executionId}") { User = user, Detail = reason });
    }

    public async Task PauseAsync(string executionId, string user, CancellationToken cancellationToken)
    {
        await inner.PauseAsync(executionId, user, cancellationToken);
        audit.Record(new AuditEntry("execution.paused", $"execution:{executionId}") { User = user });
    }

    public async Task ResumeAsync(string executionId, string user, CancellationToken cancellationToken)
    {
        await inner.ResumeAsync(executionId, user, cancellationToken);
        audit.Record(new AuditEntry("execution.resumed", $"execution:{executionId}") { User = user });
    }

    public async Task RestartStageAsync(string executionId, string stageId, string user, CancellationToken cancellationToken)
    {
        await inner.RestartStageAsync(executionId, stageId, user, cancellationToken);
        audit.Record(new AuditEntry("stage.restarted", $"execution:{executionId}/stage:{stageId}") { User = user });
    }

    public async Task<StageExecution> UpdateStageAsync(string executionId, string stageId, JsonObject patch, string user, CancellationToken cancellationToken)
    {
        var stage = await inner.UpdateStageAsync(executionId, stageId, patch, user, cancellationToken);
        var judgment = patch["judgmentStatus"].AsString();
        audit.Record(new AuditEntry(judgment is null ? "stage.updated" : "stage.judged", $"execution:{executionId}/stage:{stageId}")
        {
            User = user,
            // Only the field names of other updates: a stage patch may carry values that are nobody's business in an audit log.
            Detail = judgment ?? string.Join(", ", patch.Select(p => p.Key)),
        });
        return stage;
    }

    private PipelineExecution Started(PipelineExecution run, JsonObject trigger, string user)
    {
        audit.Record(new AuditEntry("execution.started", $"execution:{run.Id}")
        {
            User = user,
            Detail = $"{run.Application}/{run.Name} by {trigger["type"].AsString() ?? "manual"} trigger",
        });
        return run;
    }
}

/// <summary>Audits pipeline config saves (before and after) and deletes.</summary>
internal sealed class AuditingPipelineConfigStore(IPipelineConfigStore inner, IAuditLog audit) : IPipelineConfigStore
{
    public Task<IReadOnlyList<PipelineConfig>> ListAsync(string application, CancellationToken cancellationToken) => inner.ListAsync(application, cancellationToken);

    public Task<PipelineConfig?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<PipelineConfig>> ListWithTriggersAsync(CancellationToken cancellationToken) => inner.ListWithTriggersAsync(cancellationToken);

    public Task<string> ChangeStampAsync(CancellationToken cancellationToken) => inner.ChangeStampAsync(cancellationToken);

    public Task<PipelineConfig?> FindByNameAsync(string application, string name, CancellationToken cancellationToken) =>
        inner.FindByNameAsync(application, name, cancellationToken);

    public async Task<int> SaveAsync(PipelineConfig config, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var before = config.Id is { } id ? await inner.GetAsync(id, cancellationToken) : null;
        var revision = await inner.SaveAsync(config, user, cancellationToken);
        audit.Record(new AuditEntry("pipeline.saved", $"pipeline:{config.Application}/{config.Name}", before?.Json.ToJsonString(), config.Json.ToJsonString())
        {
            User = user,
            Detail = $"id {config.Id}, revision {revision}",
        });
        return revision;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var before = await inner.GetAsync(id, cancellationToken);
        var deleted = await inner.DeleteAsync(id, cancellationToken);
        if (deleted)
        {
            audit.Record(new AuditEntry("pipeline.deleted", $"pipeline:{before?.Application}/{before?.Name}", before?.Json.ToJsonString()) { Detail = $"id {id}" });
        }

        return deleted;
    }

    public Task<IReadOnlyList<PipelineConfigRevision>> HistoryAsync(string id, int limit, CancellationToken cancellationToken) =>
        inner.HistoryAsync(id, limit, cancellationToken);

    public Task<PipelineConfigRevision?> GetRevisionAsync(string id, int revision, CancellationToken cancellationToken) =>
        inner.GetRevisionAsync(id, revision, cancellationToken);
}

/// <summary>Audits application saves (before and after, permissions included) and deletes.</summary>
internal sealed class AuditingApplicationStore(IApplicationStore inner, IAuditLog audit) : IApplicationStore
{
    public Task<IReadOnlyList<Application>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<Application?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

    public async Task SaveAsync(Application application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        var before = await inner.GetAsync(application.Name, cancellationToken);
        await inner.SaveAsync(application, cancellationToken);
        audit.Record(new AuditEntry("application.saved", $"application:{application.Name}",
            before is null ? null : MizzenJson.Serialize(before), MizzenJson.Serialize(application)));
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var before = await inner.GetAsync(name, cancellationToken);
        var deleted = await inner.DeleteAsync(name, cancellationToken);
        if (deleted)
        {
            audit.Record(new AuditEntry("application.deleted", $"application:{name}", before is null ? null : MizzenJson.Serialize(before)));
        }

        return deleted;
    }
}

/// <summary>Audits canary config saves (before and after) and deletes.</summary>
internal sealed class AuditingCanaryConfigStore(ICanaryConfigStore inner, IAuditLog audit) : ICanaryConfigStore
{
    public async Task<StoredCanaryConfig> SaveAsync(string application, CanaryConfig config, string savedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var before = config.Id is { } id ? await inner.GetAsync(application, id, null, cancellationToken) : null;
        var saved = await inner.SaveAsync(application, config, savedBy, cancellationToken);
        audit.Record(new AuditEntry("canaryConfig.saved", $"canaryConfig:{application}/{saved.Id}",
            before is null ? null : CanaryConfigJson.Serialize(before.Config), CanaryConfigJson.Serialize(saved.Config))
        {
            User = savedBy,
            Detail = $"revision {saved.Revision}",
        });
        return saved;
    }

    public Task<StoredCanaryConfig?> GetAsync(string application, string id, int? revision, CancellationToken cancellationToken) =>
        inner.GetAsync(application, id, revision, cancellationToken);

    public Task<StoredCanaryConfig?> FindAsync(string id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

    public Task<IReadOnlyList<StoredCanaryConfig>> ListAsync(string application, CancellationToken cancellationToken) => inner.ListAsync(application, cancellationToken);

    public Task<IReadOnlyList<StoredCanaryConfig>> ListRevisionsAsync(string application, string id, CancellationToken cancellationToken) =>
        inner.ListRevisionsAsync(application, id, cancellationToken);

    public async Task<bool> DeleteAsync(string application, string id, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(application, id, cancellationToken);
        if (deleted)
        {
            audit.Record(new AuditEntry("canaryConfig.deleted", $"canaryConfig:{application}/{id}"));
        }

        return deleted;
    }
}
