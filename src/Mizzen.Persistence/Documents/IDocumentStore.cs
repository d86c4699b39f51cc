using Mizzen.Persistence.Audit;

namespace Mizzen.Persistence.Documents;

/// <summary>
/// A small document store with revisions, for components whose records are whole JSON documents (canary configs and
/// their reports; later, trigger state). A document is addressed by <c>collection</c> and <c>key</c>; every
/// <see cref="SaveRevisionAsync"/> adds the next revision and keeps the older ones, <see cref="PutAsync"/> replaces the
/// one revision an unversioned document has. Bodies are stored as given (JSON text). Backed by the same database as
/// executions (SQLite or PostgreSQL), so components never write SQL of their own.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Stores <paramref name="body"/> as the next revision of the document (1 when it is new) and returns it.</summary>
    Task<StoredDocument> SaveRevisionAsync(string collection, string key, string body, string savedBy, CancellationToken cancellationToken);

    /// <summary>Creates or replaces an unversioned document (its revision stays 1).</summary>
    Task<StoredDocument> PutAsync(string collection, string key, string body, string savedBy, CancellationToken cancellationToken);

    /// <summary>The latest revision, or revision <paramref name="revision"/>; null when absent.</summary>
    Task<StoredDocument?> GetAsync(string collection, string key, int? revision, CancellationToken cancellationToken);

    /// <summary>The latest revision of every document of a collection, ordered by key (ordinal).</summary>
    Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, CancellationToken cancellationToken);

    /// <summary>
    /// The latest revision of the document <paramref name="key"/> in whichever collection starting with
    /// <paramref name="collectionPrefix"/> holds it; null when none does (the first collection in ordinal order wins).
    /// </summary>
    Task<StoredDocument?> FindAsync(string collectionPrefix, string key, CancellationToken cancellationToken);

    /// <summary>Every revision of a document, oldest first; empty when absent.</summary>
    Task<IReadOnlyList<StoredDocument>> RevisionsAsync(string collection, string key, CancellationToken cancellationToken);

    /// <summary>Deletes the document with all its revisions; false when it did not exist.</summary>
    Task<bool> DeleteAsync(string collection, string key, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="SaveRevisionAsync(string, string, string, string, CancellationToken)"/>, and the audit record <paramref name="audit"/>
    /// builds from the stored revision is written in the same transaction: the revision and its record commit together or not at all.
    /// If <paramref name="audit"/> throws, nothing is saved.
    /// </summary>
    Task<StoredDocument> SaveRevisionAsync(
        string collection, string key, string body, string savedBy, Func<StoredDocument, AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the save's transaction");

    /// <summary>
    /// <see cref="PutAsync(string, string, string, string, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds from
    /// the stored document is written in the same transaction. If <paramref name="audit"/> throws, nothing is stored.
    /// </summary>
    Task<StoredDocument> PutAsync(
        string collection, string key, string body, string savedBy, Func<StoredDocument, AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the put's transaction");

    /// <summary>
    /// <see cref="DeleteAsync(string, string, CancellationToken)"/>, and the audit record <paramref name="audit"/> builds is written in the
    /// delete's transaction. Called only when the document existed; if it throws, nothing is deleted.
    /// </summary>
    Task<bool> DeleteAsync(string collection, string key, Func<AuditRecord> audit, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot write an audit record in the delete's transaction");
}

/// <summary>One stored revision of a document: who saved it and when.</summary>
public sealed record StoredDocument(string Collection, string Key, int Revision, string Body, string SavedBy, DateTimeOffset SavedAt);
