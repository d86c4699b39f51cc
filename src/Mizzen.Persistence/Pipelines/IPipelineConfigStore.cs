using Mizzen.Core.Model;
using Mizzen.Persistence.Audit;

namespace Mizzen.Persistence.Pipelines;

/// <summary>
/// Pipeline configs with history: every save is a new revision (who, when). The JSON is stored as given,
/// so fields Mizzen does not know come back unchanged.
/// </summary>
public interface IPipelineConfigStore
{
    Task<IReadOnlyList<PipelineConfig>> ListAsync(string application, CancellationToken cancellationToken);

    Task<PipelineConfig?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Every config, of every application, whose <c>triggers</c> is a non-empty list: what automatic triggers (webhooks, pollers,
    /// cron, other pipelines) match events against. Ordered by application, then name.
    /// </summary>
    Task<IReadOnlyList<PipelineConfig>> ListWithTriggersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A value that changes whenever a config is saved or deleted (on any node): a cache of configs re-reads only when it differs.
    /// One cheap aggregate query.
    /// </summary>
    Task<string> ChangeStampAsync(CancellationToken cancellationToken);

    /// <summary>Case-insensitive name match, as Gate does.</summary>
    Task<PipelineConfig?> FindByNameAsync(string application, string name, CancellationToken cancellationToken);

    /// <summary>Saves a new revision; assigns an id when the config has none. Returns the revision number.</summary>
    Task<int> SaveAsync(PipelineConfig config, string user, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="SaveAsync(PipelineConfig, string, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds is written
    /// in the save's own transaction: the new revision and its record commit together or not at all. <paramref name="audit"/> runs inside
    /// the transaction, after the write, with the config's stored JSON before this save (null when it is new) and the new revision;
    /// <c>config.Id</c> is assigned by then. If it throws, nothing is saved.
    /// </summary>
    Task<int> SaveAsync(PipelineConfig config, string user, Func<string?, int, AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the save's transaction");

    /// <summary>
    /// <see cref="DeleteAsync(string, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds from the deleted config's
    /// stored JSON is written in the delete's transaction. Called only when a config was deleted; if it throws, nothing is deleted.
    /// </summary>
    Task<bool> DeleteAsync(string id, Func<string, AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the delete's transaction");

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<PipelineConfigRevision>> HistoryAsync(string id, int limit, CancellationToken cancellationToken);

    Task<PipelineConfigRevision?> GetRevisionAsync(string id, int revision, CancellationToken cancellationToken);
}

public sealed record PipelineConfigRevision(string PipelineConfigId, int Revision, string User, long Timestamp, PipelineConfig Config);
