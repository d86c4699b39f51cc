using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// Slows down guessing: failed sign-ins are counted per user name (whether or not the user exists, so the answer tells nothing) and per
/// address; past <see cref="LoginThrottleOptions.FreeFailures"/> each further attempt must wait an exponentially growing delay. Counts live in
/// this process (each node counts its own) and are bounded in number.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider time)
{
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, Failures> failures = new(StringComparer.Ordinal);

    private LoginThrottleOptions Options => options.Value.Throttle;

    /// <summary>How long the caller must still wait before another attempt for <paramref name="user"/> from <paramref name="address"/>; zero when it may try now.</summary>
    public TimeSpan RetryAfter(string user, string? address)
    {
        var now = time.GetUtcNow();
        return Keys(user, address).Select(key => Wait(key, now)).Max();
    }

    public void RecordFailure(string user, string? address)
    {
        var now = time.GetUtcNow();
        if (failures.Count >= MaxTracked)
        {
            foreach (var stale in failures.Where(f => now - f.Value.Last > Options.Window).Select(f => f.Key).ToList())
            {
                failures.TryRemove(stale, out _);
            }
        }

        foreach (var key in Keys(user, address))
        {
            failures.AddOrUpdate(key, _ => new Failures(1, now), (_, f) => now - f.Last > Options.Window ? new Failures(1, now) : new Failures(f.Count + 1, now));
        }
    }

    /// <summary>A correct password clears the user's count (not the address's: one account's success says nothing about guesses at others).</summary>
    public void RecordSuccess(string user) => failures.TryRemove(UserKey(user), out _);

    private TimeSpan Wait(string key, DateTimeOffset now)
    {
        if (!failures.TryGetValue(key, out var f) || f.Count <= Options.FreeFailures || now - f.Last > Options.Window)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(f.Count - Options.FreeFailures - 1, 30);
        var delay = TimeSpan.FromTicks(Math.Min(Options.BaseDelay.Ticks * (1L << doublings), Options.MaxDelay.Ticks));
        var remaining = f.Last + delay - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private static IEnumerable<string> Keys(string user, string? address) =>
        address is null ? [UserKey(user)] : [UserKey(user), "address:" + address];

    private static string UserKey(string user) => "user:" + user.Trim().ToLowerInvariant();

    private sealed record Failures(int Count, DateTimeOffset Last);
}
