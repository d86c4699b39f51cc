using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Json;
using Mizzen.Persistence.Coordination;
using Mizzen.Triggers.Polling;

namespace Mizzen.Triggers.Docker;

/// <summary>
/// Igor's docker monitor: polls the repositories that enabled docker triggers name, on one node at a time (leader lock
/// <c>docker-triggers</c>), and sends an event per new tag. The first poll of a repository records what exists and starts nothing.
/// A tag is new when it was not in the last poll's list; its digest is read then (one <c>HEAD</c> per new tag, never per known
/// tag), so a steady poll of a repository costs one request per 1,000 tags. A tag that disappears (deleted) is remembered with its
/// digest: when it comes back with the same digest it is not new, with another one it is. A tag overwritten in place between two
/// polls is only seen with the account's <see cref="DockerRegistryAccount.TrackDigests"/>. The event id is
/// <c>{account}/{repository}:{tag}@{digest}</c>, so a poll repeated after a restart or by a new leader starts each run once.
/// A failed poll is logged, shown in the triggers' status, and retried at the next interval; it never stops the host.
/// </summary>
public sealed partial class DockerMonitor(
    TriggerIndex index,
    TriggerDispatcher dispatcher,
    PollStateStore states,
    PollFailures failures,
    INodeCoordination coordination,
    IOptions<DockerTriggerOptions> options,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<DockerMonitor> logger) : TriggerPoller<DockerRegistryAccount, DockerRepositoryState>(index, coordination, states, time, logger)
{
    public const string HttpClientName = "mizzen-triggers-docker";

    public const string Collection = "docker-poll";
    private const int DigestReads = 8;

    private readonly ConcurrentDictionary<string, DockerRegistryClient> clients = new(StringComparer.OrdinalIgnoreCase);

    protected override string LeaderLock => "docker-triggers";

    protected override string PollStateCollection => Collection;

    protected override IReadOnlyList<DockerRegistryAccount> Servers => options.Value.Accounts;

    protected override TimeSpan DefaultInterval => options.Value.PollInterval;

    protected override string NameOf(DockerRegistryAccount server) => server.Name;

    protected override TimeSpan IntervalOf(DockerRegistryAccount server) => server.PollInterval ?? options.Value.PollInterval;

    protected override string TriggerType => "docker";

    protected override string? SourceOf(DockerRegistryAccount server, IndexedTrigger trigger) =>
        string.Equals(trigger.Trigger["account"].AsString(), server.Name, StringComparison.OrdinalIgnoreCase)
        && trigger.Trigger["repository"].AsString() is { Length: > 0 } repository
        && (server.Repositories is not { Count: > 0 } only || only.Contains(repository))
            ? repository
            : null;

    protected override Task<DockerRepositoryState> PollSourceAsync(DockerRegistryAccount server, string source, IReadOnlyList<IndexedTrigger> triggers, CancellationToken cancellationToken) =>
        PollRepositoryAsync(server, source, triggers, cancellationToken);

    private async Task<DockerRepositoryState> PollRepositoryAsync(DockerRegistryAccount account, string repository, IReadOnlyList<IndexedTrigger> triggers, CancellationToken cancellationToken)
    {
        var key = DockerTriggerType.SourceOf(account.Name, repository);
        var state = await States.GetAsync<DockerRepositoryState>(Collection, key, cancellationToken)
            ?? new DockerRepositoryState { Account = account.Name, Repository = repository };
        var client = clients.GetOrAdd(account.Name, _ => new DockerRegistryClient(() => httpClients.CreateClient(HttpClientName), account, Time));
        var previousError = state.Error;
        try
        {
            await ReadTagsAsync(client, account, state, repository, cancellationToken);
            state.Error = null;
            state.SucceededAt = Time.GetUtcNow().ToUnixTimeMilliseconds();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            state.Error = e is TaskCanceledException ? $"registry {account.RegistryHost} did not answer in time" : e.Message;
            LogRegistryFailed(Logger, account.Name, repository, state.Error);
        }

        state.PolledAt = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await States.PutAsync(Collection, key, state, "docker-triggers", cancellationToken);
        if (state.Error != previousError)
        {
            await failures.RecordAsync(triggers, "docker", $"{account.Name}/{repository}", state.Error, cancellationToken);
        }

        return state;
    }

    private async Task ReadTagsAsync(DockerRegistryClient client, DockerRegistryAccount account, DockerRepositoryState state, string repository, CancellationToken cancellationToken)
    {
        var tags = await client.TagsAsync(repository, cancellationToken);
        var current = new HashSet<string>(tags, StringComparer.Ordinal);
        foreach (var (tag, digest) in state.Tags.Where(t => !current.Contains(t.Key)).ToList())
        {
            state.Tags.Remove(tag);
            state.Forget(tag, digest);
        }

        var unknown = tags.Where(t => !state.Tags.ContainsKey(t)).ToList();
        var toRead = account.TrackDigests && state.Seeded ? tags : unknown;
        var digests = await DigestsAsync(client, repository, toRead, cancellationToken);
        state.LastNewTags = [];
        if (!state.Seeded)
        {
            foreach (var tag in tags)
            {
                state.Tags[tag] = digests.GetValueOrDefault(tag);
            }

            state.Seeded = true;
            LogSeeded(Logger, account.Name, repository, tags.Count);
            return;
        }

        foreach (var tag in toRead.Order(StringComparer.Ordinal))
        {
            var digest = digests.GetValueOrDefault(tag);
            if (digest is null)
            {
                continue; // deleted between the list and the digest read: the next poll sees what is there then
            }

            var known = state.Tags.TryGetValue(tag, out var was);
            var gone = state.Gone.FirstOrDefault(g => g.Tag == tag);
            var isNew = known ? was != digest : gone is null || gone.Digest != digest;
            if (isNew && !await DispatchAsync(account, repository, tag, digest, cancellationToken))
            {
                continue; // not recorded: the next poll sends it again (its event id keeps it to one run)
            }

            if (isNew)
            {
                state.LastNewTags.Add(tag);
            }

            state.Tags[tag] = digest;
            state.Gone.RemoveAll(g => g.Tag == tag);
        }
    }

    private async Task<Dictionary<string, string?>> DigestsAsync(DockerRegistryClient client, string repository, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var digests = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(tags, new ParallelOptions { MaxDegreeOfParallelism = DigestReads, CancellationToken = cancellationToken },
            async (tag, ct) => digests[tag] = await client.DigestAsync(repository, tag, ct));
        return new Dictionary<string, string?>(digests, StringComparer.Ordinal);
    }

    private async Task<bool> DispatchAsync(DockerRegistryAccount account, string repository, string tag, string digest, CancellationToken cancellationToken)
    {
        var triggerEvent = EventFor(account, repository, tag, digest);
        try
        {
            await dispatcher.DispatchAsync(triggerEvent, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogDispatchFailed(Logger, triggerEvent.EventId, e);
            return false;
        }
    }

    /// <summary>The event for a new tag, with Spinnaker's <c>docker/image</c> artifact.</summary>
    public static TriggerEvent EventFor(DockerRegistryAccount account, string repository, string tag, string digest)
    {
        var registry = account.RegistryHost;
        var name = $"{registry}/{repository}";
        var artifact = new JsonObject
        {
            ["type"] = "docker/image",
            ["name"] = name,
            ["version"] = tag,
            ["reference"] = $"{name}:{tag}",
            ["metadata"] = new JsonObject { ["registry"] = registry, ["digest"] = digest },
        };
        return new TriggerEvent("docker", $"{account.Name}/{repository}:{tag}@{digest}")
        {
            Source = DockerTriggerType.SourceOf(account.Name, repository),
            Artifacts = [artifact],
            TriggerFields = new JsonObject
            {
                ["account"] = account.Name,
                ["registry"] = registry,
                ["repository"] = repository,
                ["tag"] = tag,
                ["digest"] = digest,
            },
            Description = $"new tag {repository}:{tag} in {account.Name}",
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "docker triggers: first poll of {Account}/{Repository} recorded {Tags} tag(s); nothing starts for them")]
    private static partial void LogSeeded(ILogger Logger, string account, string repository, int tags);

    [LoggerMessage(Level = LogLevel.Warning, Message = "docker triggers: polling {Account}/{Repository} failed: {Error}; retried at the next interval")]
    private static partial void LogRegistryFailed(ILogger Logger, string account, string repository, string error);


    [LoggerMessage(Level = LogLevel.Error, Message = "docker event {EventId} could not be dispatched; the next poll sends it again")]
    private static partial void LogDispatchFailed(ILogger Logger, string eventId, Exception exception);
}
