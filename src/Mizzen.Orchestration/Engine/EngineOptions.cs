namespace Mizzen.Orchestration.Engine;

/// <summary>The engine's knobs. Bound from <c>Mizzen:Engine</c>.</summary>
public sealed class EngineOptions
{
    /// <summary>Messages handled at once by this node (task work runs outside the store's write lock). Default 16.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// How long a claimed message is leased before another worker may take it. The worker renews the leases of messages it
    /// still handles every third of this, so it bounds how long a dead node's messages wait for another node, not how long a
    /// handler may run; renewals may fail twice in a row (a stalled store, a long pause) before a live handler loses its
    /// message. Default 30 seconds.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle poll interval when nothing is due (commits that push due messages wake the worker at once). Default 50 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>After this many failed deliveries a message is dead: its stage and run end TERMINAL. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Leases held under this node's id (its previous life) are released at start; other nodes' leases are left alone. Default true.</summary>
    public bool ReleaseLeasesOnStart { get; set; } = true;
}
