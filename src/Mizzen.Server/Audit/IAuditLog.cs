namespace Mizzen.Server.Audit;

/// <summary>
/// The audit log: who changed what, when and from where. <see cref="Record"/> never blocks and never fails the caller's request:
/// entries go through a bounded queue and are written in batches; who, when and the address are taken from the current request
/// (or the UI's circuit) by the recorder. Every state-changing HTTP request is recorded by <see cref="AuditMiddleware"/> without any
/// call; code calls <see cref="Record"/> for what the middleware cannot see (a login's outcome, a config's before and after, an
/// action taken from the UI).
/// </summary>
public interface IAuditLog
{
    void Record(AuditEntry entry);
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
