using Mizzen.Core.Model;

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
}
