using Mizzen.Core.Model;
using Mizzen.Persistence.Audit;

namespace Mizzen.Persistence.Applications;

/// <summary>Applications (Front50's application DAO).</summary>
public interface IApplicationStore
{
    Task<IReadOnlyList<Application>> ListAsync(CancellationToken cancellationToken);

    Task<Application?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates or replaces; names are stored lower-case.</summary>
    Task SaveAsync(Application application, CancellationToken cancellationToken);

    /// <summary>Deletes the application and its pipeline configs; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="SaveAsync(Application, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds is written in the
    /// save's own transaction: the change and its record commit together or not at all. <paramref name="audit"/> runs inside the
    /// transaction with the application as stored before this save (null when it is new); if it throws, nothing is saved.
    /// </summary>
    Task SaveAsync(Application application, Func<Application?, AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the save's transaction");

    /// <summary>
    /// <see cref="DeleteAsync(string, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds from the application as
    /// stored before is written in the delete's transaction. Called only when the application existed; if it throws, nothing is deleted.
    /// </summary>
    Task<bool> DeleteAsync(string name, Func<Application, AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the delete's transaction");
}
