namespace Mizzen.Persistence;

/// <summary>
/// Marks the writes of the calling flow (and everything it starts) as background work: the engine's queue worker, which moves runs
/// along, as opposed to a caller waiting for an answer (an API request, a webhook delivery, a trigger start). Where there is one
/// writer (SQLite) a waiting foreground write goes first, so a webhook's run is stored in a few milliseconds even while the engine
/// handles a thousand messages a second on the same lock; background writes are never starved (see the SQLite write lock).
/// PostgreSQL has no single writer and ignores it.
/// </summary>
public static class StoreWritePriority
{
    private static readonly AsyncLocal<bool> BackgroundFlow = new();

    /// <summary>True when the current flow was marked with <see cref="Background"/>.</summary>
    public static bool IsBackground => BackgroundFlow.Value;

    /// <summary>Marks the current flow as background until the returned scope is disposed.</summary>
    public static IDisposable Background()
    {
        var previous = BackgroundFlow.Value;
        BackgroundFlow.Value = true;
        return new Scope(previous);
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public void Dispose() => BackgroundFlow.Value = previous;
    }
}
