using System.Text.Json.Nodes;
using Mizzen.Canary.Configs;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Server.Audit;

/// <summary>
/// Decorators that audit the services both the REST API and the UI call: the engine's <see cref="IExecutionRunner"/> (starts,
/// cancels, judgments, restarts: by API, UI or trigger alike) and the config stores (saves and deletes, with the config before and
/// after). Recording here rather than in each route means the UI's actions, which call these services from a Blazor circuit without
/// an HTTP request, are audited as well. Each of these changes is a store write, and its record is written IN that write's transaction
/// (the runner's <c>alongside</c> overloads, the stores' audited overloads): the change and its record commit together or not at all,
/// so neither a crash nor a store error nor a full queue can leave a change without its record. A refused call writes nothing and is
/// left to <see cref="AuditMiddleware"/>, which records the request with its status.
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

/// <summary>Audits every start, cancel, pause, resume, restart and stage update (a manual judgment is one) of runs, in the run's transaction.</summary>
internal sealed class AuditingExecutionRunner(IExecutionRunner inner, IAuditLog audit) : IExecutionRunner
{
    public Task<PipelineExecution> StartAsync(PipelineConfig config, JsonObject trigger, string user, CancellationToken cancellationToken) =>
        StartCoreAsync(config, trigger, user, null, cancellationToken);

    public Task<PipelineExecution> StartAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<IStoreTransaction, PipelineExecution, bool> alongside, CancellationToken cancellationToken) =>
        StartCoreAsync(config, trigger, user, alongside, cancellationToken);

    public Task<PipelineExecution> StartOrchestrationAsync(string application, string description, JsonArray stages, string user, CancellationToken cancellationToken) =>
        StartOrchestrationCoreAsync(application, description, stages, user, null, cancellationToken);

    public Task<PipelineExecution> StartOrchestrationAsync(
        string application, string description, JsonArray stages, string user, Action<IStoreTransaction, PipelineExecution, bool> alongside,
        CancellationToken cancellationToken) =>
        StartOrchestrationCoreAsync(application, description, stages, user, alongside, cancellationToken);

    public Task CancelAsync(string executionId, string user, string? reason, CancellationToken cancellationToken) =>
        CancelAsync(executionId, user, reason, static _ => { }, cancellationToken);

    public async Task CancelAsync(string executionId, string user, string? reason, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await inner.CancelAsync(executionId, user, reason,
            With(alongside, new AuditEntry("execution.canceled", $"execution:{executionId}") { User = user, Detail = reason }), cancellationToken);
        audit.MarkRecorded();
    }

    public Task PauseAsync(string executionId, string user, CancellationToken cancellationToken) =>
        PauseAsync(executionId, user, static _ => { }, cancellationToken);

    public async Task PauseAsync(string executionId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await inner.PauseAsync(executionId, user, With(alongside, new AuditEntry("execution.paused", $"execution:{executionId}") { User = user }), cancellationToken);
        audit.MarkRecorded();
    }

    public Task ResumeAsync(string executionId, string user, CancellationToken cancellationToken) =>
        ResumeAsync(executionId, user, static _ => { }, cancellationToken);

    public async Task ResumeAsync(string executionId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await inner.ResumeAsync(executionId, user, With(alongside, new AuditEntry("execution.resumed", $"execution:{executionId}") { User = user }), cancellationToken);
        audit.MarkRecorded();
    }

    public Task RestartStageAsync(string executionId, string stageId, string user, CancellationToken cancellationToken) =>
        RestartStageAsync(executionId, stageId, user, static _ => { }, cancellationToken);

    public async Task RestartStageAsync(string executionId, string stageId, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        await inner.RestartStageAsync(executionId, stageId, user,
            With(alongside, new AuditEntry("stage.restarted", $"execution:{executionId}/stage:{stageId}") { User = user }), cancellationToken);
        audit.MarkRecorded();
    }

    public Task<StageExecution> UpdateStageAsync(string executionId, string stageId, JsonObject patch, string user, CancellationToken cancellationToken) =>
        UpdateStageAsync(executionId, stageId, patch, user, static _ => { }, cancellationToken);

    public async Task<StageExecution> UpdateStageAsync(
        string executionId, string stageId, JsonObject patch, string user, Action<IStoreTransaction> alongside, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var judgment = patch["judgmentStatus"].AsString();
        var entry = new AuditEntry(judgment is null ? "stage.updated" : "stage.judged", $"execution:{executionId}/stage:{stageId}")
        {
            User = user,
            // Only the field names of other updates: a stage patch may carry values that are nobody's business in an audit log.
            Detail = judgment ?? string.Join(", ", patch.Select(p => p.Key)),
        };
        var stage = await inner.UpdateStageAsync(executionId, stageId, patch, user, With(alongside, entry), cancellationToken);
        audit.MarkRecorded();
        return stage;
    }

    /// <summary>The caller's work, then the record, in the operation's transaction (stamped there, so ids follow commit order).</summary>
    private Action<IStoreTransaction> With(Action<IStoreTransaction> alongside, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(alongside);
        return transaction =>
        {
            alongside(transaction);
            transaction.AppendAudit(audit.Stamp(entry));
        };
    }

    private async Task<PipelineExecution> StartCoreAsync(
        PipelineConfig config, JsonObject trigger, string user, Action<IStoreTransaction, PipelineExecution, bool>? alongside, CancellationToken cancellationToken)
    {
        var created = false;
        var run = await inner.StartAsync(config, trigger, user, (transaction, execution, isNew) =>
        {
            alongside?.Invoke(transaction, execution, isNew);
            created = isNew;
            if (isNew)
            {
                transaction.AppendAudit(audit.Stamp(new AuditEntry("execution.started", $"execution:{execution.Id}")
                {
                    User = user,
                    Detail = $"{execution.Application}/{execution.Name} by {trigger["type"].AsString() ?? "manual"} trigger",
                }));
            }
        }, cancellationToken);

        // A repeated delivery of a trigger that already started this run (same correlation id) started nothing: no record; the
        // middleware records the request itself.
        if (created)
        {
            audit.MarkRecorded();
        }

        return run;
    }

    private async Task<PipelineExecution> StartOrchestrationCoreAsync(
        string application, string description, JsonArray stages, string user, Action<IStoreTransaction, PipelineExecution, bool>? alongside,
        CancellationToken cancellationToken)
    {
        var run = await inner.StartOrchestrationAsync(application, description, stages, user, (transaction, execution, isNew) =>
        {
            alongside?.Invoke(transaction, execution, isNew);
            transaction.AppendAudit(audit.Stamp(new AuditEntry("orchestration.started", $"execution:{execution.Id}") { User = user, Detail = $"{application}: {description}" }));
        }, cancellationToken);
        audit.MarkRecorded();
        return run;
    }
}

/// <summary>Audits pipeline config saves (before and after) and deletes, in the save's or delete's own transaction.</summary>
internal sealed class AuditingPipelineConfigStore(IPipelineConfigStore inner, IAuditLog audit) : IPipelineConfigStore
{
    public Task<IReadOnlyList<PipelineConfig>> ListAsync(string application, CancellationToken cancellationToken) => inner.ListAsync(application, cancellationToken);

    public Task<PipelineConfig?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<PipelineConfig>> ListWithTriggersAsync(CancellationToken cancellationToken) => inner.ListWithTriggersAsync(cancellationToken);

    public Task<string> ChangeStampAsync(CancellationToken cancellationToken) => inner.ChangeStampAsync(cancellationToken);

    public Task<PipelineConfig?> FindByNameAsync(string application, string name, CancellationToken cancellationToken) =>
        inner.FindByNameAsync(application, name, cancellationToken);

    public Task<int> SaveAsync(PipelineConfig config, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        return SaveAsync(config, user, (before, revision) => audit.Stamp(
            new AuditEntry("pipeline.saved", $"pipeline:{config.Application}/{config.Name}", before, config.Json.ToJsonString())
            {
                User = user,
                Detail = $"id {config.Id}, revision {revision}",
            }), cancellationToken);
    }

    /// <summary>A caller that builds its own record: passed on, so the record still commits with the save.</summary>
    public async Task<int> SaveAsync(PipelineConfig config, string user, Func<string?, int, AuditRecord> record, CancellationToken cancellationToken)
    {
        var revision = await inner.SaveAsync(config, user, record, cancellationToken);
        audit.MarkRecorded();
        return revision;
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        DeleteAsync(id, before =>
        {
            var deleted = PipelineConfig.Parse(before);
            return audit.Stamp(new AuditEntry("pipeline.deleted", $"pipeline:{deleted.Application}/{deleted.Name}", before) { Detail = $"id {id}" });
        }, cancellationToken);

    public async Task<bool> DeleteAsync(string id, Func<string, AuditRecord> record, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(id, record, cancellationToken);
        if (deleted)
        {
            audit.MarkRecorded();
        }

        return deleted;
    }

    public Task<IReadOnlyList<PipelineConfigRevision>> HistoryAsync(string id, int limit, CancellationToken cancellationToken) =>
        inner.HistoryAsync(id, limit, cancellationToken);

    public Task<PipelineConfigRevision?> GetRevisionAsync(string id, int revision, CancellationToken cancellationToken) =>
        inner.GetRevisionAsync(id, revision, cancellationToken);
}

/// <summary>Audits application saves (before and after, permissions included) and deletes, in the write's own transaction.</summary>
internal sealed class AuditingApplicationStore(IApplicationStore inner, IAuditLog audit) : IApplicationStore
{
    public Task<IReadOnlyList<Application>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public Task<Application?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

    public Task SaveAsync(Application application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        return SaveAsync(application, before => audit.Stamp(new AuditEntry("application.saved", $"application:{application.Name}",
            before is null ? null : MizzenJson.Serialize(before), MizzenJson.Serialize(application))), cancellationToken);
    }

    public async Task SaveAsync(Application application, Func<Application?, AuditRecord> record, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(application, record, cancellationToken);
        audit.MarkRecorded();
    }

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        DeleteAsync(name, before => audit.Stamp(new AuditEntry("application.deleted", $"application:{name}", MizzenJson.Serialize(before))), cancellationToken);

    public async Task<bool> DeleteAsync(string name, Func<Application, AuditRecord> record, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(name, record, cancellationToken);
        if (deleted)
        {
            audit.MarkRecorded();
        }

        return deleted;
    }
}

/// <summary>
/// Audits canary config saves (before and after) and deletes, in the write's own transaction. The config before is read just ahead of
/// the save (the document store keeps every revision, so it is also in the config's history).
/// </summary>
internal sealed class AuditingCanaryConfigStore(ICanaryConfigStore inner, IAuditLog audit) : ICanaryConfigStore
{
    public async Task<StoredCanaryConfig> SaveAsync(string application, CanaryConfig config, string savedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var before = config.Id is { } id ? await inner.GetAsync(application, id, null, cancellationToken) : null;
        return await SaveAsync(application, config, savedBy, saved => audit.Stamp(new AuditEntry("canaryConfig.saved", $"canaryConfig:{application}/{saved.Id}",
            before is null ? null : CanaryConfigJson.Serialize(before.Config), CanaryConfigJson.Serialize(saved.Config))
        {
            User = savedBy,
            Detail = $"revision {saved.Revision}",
        }), cancellationToken);
    }

    public async Task<StoredCanaryConfig> SaveAsync(
        string application, CanaryConfig config, string savedBy, Func<StoredCanaryConfig, AuditRecord> record, CancellationToken cancellationToken)
    {
        var saved = await inner.SaveAsync(application, config, savedBy, record, cancellationToken);
        audit.MarkRecorded();
        return saved;
    }

    public Task<StoredCanaryConfig?> GetAsync(string application, string id, int? revision, CancellationToken cancellationToken) =>
        inner.GetAsync(application, id, revision, cancellationToken);

    public Task<StoredCanaryConfig?> FindAsync(string id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

    public Task<IReadOnlyList<StoredCanaryConfig>> ListAsync(string application, CancellationToken cancellationToken) => inner.ListAsync(application, cancellationToken);

    public Task<IReadOnlyList<StoredCanaryConfig>> ListRevisionsAsync(string application, string id, CancellationToken cancellationToken) =>
        inner.ListRevisionsAsync(application, id, cancellationToken);

    public Task<bool> DeleteAsync(string application, string id, CancellationToken cancellationToken) =>
        DeleteAsync(application, id, () => audit.Stamp(new AuditEntry("canaryConfig.deleted", $"canaryConfig:{application}/{id}")), cancellationToken);

    public async Task<bool> DeleteAsync(string application, string id, Func<AuditRecord> record, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(application, id, record, cancellationToken);
        if (deleted)
        {
            audit.MarkRecorded();
        }

        return deleted;
    }
}
