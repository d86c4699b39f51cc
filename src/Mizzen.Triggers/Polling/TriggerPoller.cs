using Microsoft.Extensions.Hosting;
using Mizzen.Persistence.Coordination;

namespace Mizzen.Triggers.Polling;

/// <summary>
/// What the pollers of igor (docker registries, Jenkins masters) share: one node polls (the leader lock <see cref="LeaderLock"/>;
/// none is taken when no server is configured, so a node without pollers holds no PostgreSQL connection for it), each server at
/// its own interval, sleeping until the next is due — counted from after the polls, which take time, and at least a second, so a
/// zero interval cannot spin. What each poll saw is kept per source in <see cref="PollStateCollection"/> of the <see cref="PollStateStore"/>.
/// </summary>
/// <typeparam name="TServer">A configured server (a registry account, a Jenkins master).</typeparam>
/// <typeparam name="TState">What the poller keeps per source (a repository's tags, a job's last build).</typeparam>
public abstract class TriggerPoller<TServer, TState>(INodeCoordination coordination, PollStateStore states, TimeProvider time) : BackgroundService
    where TState : class
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);

    protected PollStateStore States => states;

    protected TimeProvider Time => time;

    protected abstract string LeaderLock { get; }

    protected abstract string PollStateCollection { get; }

    protected abstract IReadOnlyList<TServer> Servers { get; }

    protected abstract TimeSpan DefaultInterval { get; }

    protected abstract string NameOf(TServer server);

    protected abstract TimeSpan IntervalOf(TServer server);

    /// <summary>One poll of every source of <paramref name="server"/> that an enabled trigger names; never throws for a server's failure.</summary>
    protected abstract Task<List<TState>> PollServerAsync(TServer server, CancellationToken cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Servers.Count == 0 ? Task.CompletedTask : coordination.RunAsLeaderAsync(LeaderLock, RunAsync, TimeSpan.FromSeconds(5), stoppingToken);

    /// <summary>One poll of every server (what the leader's loop does when all are due; tests drive it by hand).</summary>
    public async Task<IReadOnlyList<TState>> PollAsync(CancellationToken cancellationToken)
    {
        var polled = new List<TState>();
        foreach (var server in Servers)
        {
            polled.AddRange(await PollServerAsync(server, cancellationToken));
        }

        return polled;
    }

    /// <summary>What the poller knows of every source it polled (the per-source status).</summary>
    public Task<IReadOnlyList<TState>> StatusAsync(CancellationToken cancellationToken) => states.ListAsync<TState>(PollStateCollection, cancellationToken);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var nextPoll = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        while (!cancellationToken.IsCancellationRequested)
        {
            var earliest = DateTimeOffset.MaxValue;
            foreach (var server in Servers)
            {
                if (!nextPoll.TryGetValue(NameOf(server), out var due) || due <= time.GetUtcNow())
                {
                    await PollServerAsync(server, cancellationToken);
                    due = time.GetUtcNow() + IntervalOf(server);
                    nextPoll[NameOf(server)] = due;
                }

                earliest = due < earliest ? due : earliest;
            }

            var wait = earliest == DateTimeOffset.MaxValue ? DefaultInterval : earliest - time.GetUtcNow();
            await Task.Delay(wait > MinimumWait ? wait : MinimumWait, time, cancellationToken);
        }
    }
}
