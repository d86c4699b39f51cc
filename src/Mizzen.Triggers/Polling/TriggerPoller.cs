using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mizzen.Persistence.Coordination;

namespace Mizzen.Triggers.Polling;

/// <summary>
/// What the pollers of igor (docker registries, Jenkins masters) share: one node polls (the leader lock <see cref="LeaderLock"/>;
/// none is taken when no server is configured, so a node without pollers holds no PostgreSQL connection for it), each server at
/// its own interval, sleeping until the next is due — counted from after the polls, which take time, and at least a second, so a
/// zero interval cannot spin. A server's poll reads the enabled triggers of <see cref="TriggerType"/> that name it, groups them by
/// the source they watch (a repository, a job) and polls each source once; a source whose poll throws (the store failed: the
/// server's own failures are handled in <see cref="PollSourceAsync"/>) is logged and tried again at the next interval.
/// What each poll saw is kept per source in <see cref="PollStateCollection"/> of the <see cref="PollStateStore"/>.
/// </summary>
/// <typeparam name="TServer">A configured server (a registry account, a Jenkins master).</typeparam>
/// <typeparam name="TState">What the poller keeps per source (a repository's tags, a job's last build).</typeparam>
public abstract partial class TriggerPoller<TServer, TState>(
    TriggerIndex index, INodeCoordination coordination, PollStateStore states, TimeProvider time, ILogger logger) : BackgroundService
    where TState : class
{
    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);

    protected PollStateStore States => states;

    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    /// <summary>The trigger <c>type</c> this poller serves (<c>docker</c>, <c>jenkins</c>).</summary>
    protected abstract string TriggerType { get; }

    protected abstract string LeaderLock { get; }

    protected abstract string PollStateCollection { get; }

    protected abstract IReadOnlyList<TServer> Servers { get; }

    protected abstract TimeSpan DefaultInterval { get; }

    protected abstract string NameOf(TServer server);

    protected abstract TimeSpan IntervalOf(TServer server);

    /// <summary>The source an enabled trigger of <see cref="TriggerType"/> watches on <paramref name="server"/>; null when it names another server or none.</summary>
    protected abstract string? SourceOf(TServer server, IndexedTrigger trigger);

    /// <summary>One poll of one source for the triggers that watch it; a failure of the server itself is recorded in the state, not thrown.</summary>
    protected abstract Task<TState> PollSourceAsync(TServer server, string source, IReadOnlyList<IndexedTrigger> triggers, CancellationToken cancellationToken);

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

    private async Task<List<TState>> PollServerAsync(TServer server, CancellationToken cancellationToken)
    {
        var polled = new List<TState>();
        List<IGrouping<string, IndexedTrigger>> sources;
        try
        {
            sources = [.. (await index.OfTypeAsync(TriggerType, cancellationToken))
                .Where(t => t.Enabled)
                .Select(t => (Trigger: t, Source: SourceOf(server, t)))
                .Where(x => x.Source is not null)
                .GroupBy(x => x.Source!, x => x.Trigger, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogIndexFailed(logger, TriggerType, NameOf(server), e);
            return polled;
        }

        foreach (var source in sources)
        {
            try
            {
                polled.Add(await PollSourceAsync(server, source.Key, [.. source], cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(logger, TriggerType, NameOf(server), source.Key, e.Message, e);
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Type} triggers: could not read the triggers of {Server}; retried at the next interval")]
    private static partial void LogIndexFailed(ILogger logger, string type, string server, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Type} triggers: polling {Server}/{Source} failed: {Error}; retried at the next interval")]
    private static partial void LogPollFailed(ILogger logger, string type, string server, string source, string error, Exception exception);
}
