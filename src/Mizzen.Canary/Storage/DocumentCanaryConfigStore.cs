using Mizzen.Canary.Configs;
using Mizzen.Persistence.Audit;
using Mizzen.Persistence.Documents;

namespace Mizzen.Canary.Storage;

/// <summary>
/// Canary configs in the document store (<see cref="CanaryConfigDocuments"/>): the config revisions are the document's
/// revisions, so whichever database backs <see cref="IDocumentStore"/> (SQLite or PostgreSQL) keeps them.
/// </summary>
public sealed class DocumentCanaryConfigStore(IDocumentStore documents) : ICanaryConfigStore
{
    public Task<StoredCanaryConfig> SaveAsync(string application, CanaryConfig config, string savedBy, CancellationToken cancellationToken) =>
        SaveCoreAsync(application, config, savedBy, null, cancellationToken);

    public Task<StoredCanaryConfig> SaveAsync(
        string application, CanaryConfig config, string savedBy, Func<StoredCanaryConfig, AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return SaveCoreAsync(application, config, savedBy, audit, cancellationToken);
    }

    private async Task<StoredCanaryConfig> SaveCoreAsync(
        string application, CanaryConfig config, string savedBy, Func<StoredCanaryConfig, AuditRecord>? audit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(application);
        ArgumentNullException.ThrowIfNull(config);
        var copy = CanaryConfigJson.Parse(CanaryConfigJson.Serialize(config));
        copy.Id = string.IsNullOrEmpty(copy.Id) ? Guid.NewGuid().ToString() : copy.Id;
        if (copy.Id.Contains('/', StringComparison.Ordinal))
        {
            throw new CanaryConfigException($"canary config id '{copy.Id}' must not contain '/'", [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, "id", "must not contain '/'")]);
        }

        var collection = CanaryConfigDocuments.Collection(application);
        var body = CanaryConfigDocuments.Body(copy);
        var stored = audit is null
            ? await documents.SaveRevisionAsync(collection, copy.Id, body, savedBy, cancellationToken)
            : await documents.SaveRevisionAsync(collection, copy.Id, body, savedBy, document => audit(CanaryConfigDocuments.Read(document)), cancellationToken);
        return CanaryConfigDocuments.Read(stored);
    }

    public async Task<StoredCanaryConfig?> GetAsync(string application, string id, int? revision, CancellationToken cancellationToken)
        => await documents.GetAsync(CanaryConfigDocuments.Collection(application), id, revision, cancellationToken) is { } found
            ? CanaryConfigDocuments.Read(found)
            : null;

    public async Task<StoredCanaryConfig?> FindAsync(string id, CancellationToken cancellationToken)
        => await documents.FindAsync(CanaryConfigDocuments.CollectionPrefix, id, cancellationToken) is { } found
            ? CanaryConfigDocuments.Read(found)
            : null;

    public async Task<IReadOnlyList<StoredCanaryConfig>> ListAsync(string application, CancellationToken cancellationToken)
        => (await documents.ListAsync(CanaryConfigDocuments.Collection(application), cancellationToken))
            .Select(CanaryConfigDocuments.Read)
            .OrderBy(s => s.Config.Name, StringComparer.Ordinal)
            .ToList();

    public async Task<IReadOnlyList<StoredCanaryConfig>> ListRevisionsAsync(string application, string id, CancellationToken cancellationToken)
        => (await documents.RevisionsAsync(CanaryConfigDocuments.Collection(application), id, cancellationToken))
            .Select(CanaryConfigDocuments.Read)
            .ToList();

    public Task<bool> DeleteAsync(string application, string id, CancellationToken cancellationToken)
        => documents.DeleteAsync(CanaryConfigDocuments.Collection(application), id, cancellationToken);

    public Task<bool> DeleteAsync(string application, string id, Func<AuditRecord> audit, CancellationToken cancellationToken)
        => documents.DeleteAsync(CanaryConfigDocuments.Collection(application), id, audit, cancellationToken);
}
