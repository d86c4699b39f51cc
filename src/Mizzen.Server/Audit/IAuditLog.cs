using Mizzen.Persistence.Audit;

namespace Mizzen.Server.Audit;

/// <summary>
/// The audit log: who changed what, when and from where. Two ways in, chosen by what the change is:
/// <list type="bullet">
/// <item>A change that is a store write (a config saved, a run started or steered) is recorded IN that write's transaction:
/// <see cref="Stamp"/> makes the record, the store writes it with the change (<c>IStoreTransaction.AppendAudit</c>, or the audited
/// overloads of the config stores), so the change and its record commit together or not at all. <see cref="AuditingStores"/> does this
/// for every such change; call <see cref="MarkRecorded"/> once the write committed.</item>
/// <item>Anything else (a login's outcome, a token, a refused request) goes through <see cref="Record"/>: a bounded queue written in
/// batches. It never blocks or fails the caller; <see cref="AuditMiddleware"/> holds the response of a state-changing request until the
/// request's queued entries are written (group commit), so an answered request has its record too.</item>
/// </list>
/// Who, when and the address are taken from the current request (or the UI's circuit). Every state-changing HTTP request no code recorded is
/// recorded by <see cref="AuditMiddleware"/> as <c>http.{method}</c> with its status.
/// </summary>
public interface IAuditLog
{
    /// <summary>Queues an entry for what is not a store write. Marks the request as recorded.</summary>
    void Record(AuditEntry entry);

    /// <summary>
    /// The record of <paramref name="entry"/> (a time-ordered id, the time, the user and address), for a store write to write in its own
    /// transaction. Writes nothing itself; call it inside the transaction (ids then follow the store's commit order on SQLite).
    /// </summary>
    AuditRecord Stamp(AuditEntry entry);

    /// <summary>Tells <see cref="AuditMiddleware"/> that the current request's change was recorded with it (so it adds no <c>http.*</c> entry).</summary>
    void MarkRecorded();
}

/// <summary>
/// One change. <see cref="Action"/> is a dotted verb (<c>pipeline.saved</c>, <c>login.failed</c>, <c>execution.canceled</c>);
/// <see cref="Target"/> what it acted on (<c>pipeline:app/name</c>, <c>execution:01J…</c>, <c>user:alice</c>); <see cref="Before"/> and
/// <see cref="After"/> are JSON for config changes. <see cref="User"/> and <see cref="Address"/> are filled from the current request when
/// left null. Never put a secret or a password in an entry.
/// </summary>
public sealed record AuditEntry(string Action, string Target, string? Before = null, string? After = null)
{
    public string? User { get; init; }

    public string? Address { get; init; }

    /// <summary>The HTTP status the request ended with, when it was one.</summary>
    public int? Status { get; init; }

    /// <summary>A short free-text detail (a judgment's input, a reason).</summary>
    public string? Detail { get; init; }
}
