using Mizzen.Persistence.Audit;

namespace Mizzen.Canary.Configs;

/// <summary>
/// Canary configs per application, with revisions. Saving creates a new revision; reads return the latest
/// unless a revision is asked for. Implementations validate nothing: call <see cref="CanaryConfigValidator"/> first.
/// </summary>
public interface ICanaryConfigStore
{
    /// <summary>Stores <paramref name="config"/> as the next revision of <c>config.Id</c> (a new id is assigned when it has none).</summary>
    Task<StoredCanaryConfig> SaveAsync(string application, CanaryConfig config, string savedBy, CancellationToken cancellationToken);

    /// <summary>The latest revision, or the given one; null when absent.</summary>
    Task<StoredCanaryConfig?> GetAsync(string application, string id, int? revision, CancellationToken cancellationToken);

    /// <summary>The latest revision of config <paramref name="id"/> in whichever application holds it; null when absent.</summary>
    Task<StoredCanaryConfig?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>The latest revision of each config of the application.</summary>
    Task<IReadOnlyList<StoredCanaryConfig>> ListAsync(string application, CancellationToken cancellationToken);

    /// <summary>Every revision of a config, oldest first.</summary>
    Task<IReadOnlyList<StoredCanaryConfig>> ListRevisionsAsync(string application, string id, CancellationToken cancellationToken);

    /// <summary>Deletes the config with all its revisions; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string application, string id, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="SaveAsync(string, CanaryConfig, string, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds from
    /// the stored revision is written in the save's own transaction: the revision and its record commit together or not at all.
    /// </summary>
    Task<StoredCanaryConfig> SaveAsync(
        string application, CanaryConfig config, string savedBy, Func<StoredCanaryConfig, AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the save's transaction");

    /// <summary>
    /// <see cref="DeleteAsync(string, string, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds is written in the
    /// delete's transaction; called only when the config existed.
    /// </summary>
    Task<bool> DeleteAsync(string application, string id, Func<AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the delete's transaction");
}

/// <summary>One saved revision of a config: who saved it and when.</summary>
public sealed record StoredCanaryConfig(string Application, string Id, int Revision, CanaryConfig Config, string SavedBy, DateTimeOffset SavedAt);
