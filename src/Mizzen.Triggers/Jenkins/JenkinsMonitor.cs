using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Core.Json;
using Mizzen.Persistence.Coordination;
using Mizzen.Triggers.Polling;

namespace Mizzen.Triggers.Jenkins;

/// <summary>
/// Igor's build monitor for Jenkins: polls the jobs that enabled jenkins triggers name, on one node at a time (leader lock
/// <c>jenkins-triggers</c>). The first poll of a job records its last build number and starts nothing (a build running then is sent
/// when it finishes). Each later build that has
/// finished (<c>building</c> false and a result) is sent once as an event with id <c>{master}/{job}#{number}</c> (so a repeated poll
/// after a restart or by a new leader starts each run once), carrying Spinnaker's <c>buildNumber</c>, <c>buildInfo</c> and, for
/// triggers with a <c>propertyFile</c>, the file's values as <c>properties</c>. A build still running is remembered and sent when it
/// finishes. A failed poll is logged, shown in the triggers' status, and retried at the next interval; it never stops the host.
/// </summary>
public sealed partial class JenkinsMonitor(
    TriggerIndex index,
    TriggerDispatcher dispatcher,
    PollStateStore states,
    PollFailures failures,
    INodeCoordination coordination,
    IOptions<JenkinsTriggerOptions> options,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<JenkinsMonitor> logger) : TriggerPoller<JenkinsMaster, JenkinsJobState>(index, coordination, states, time, logger)
{
    public const string HttpClientName = "mizzen-triggers-jenkins";

    public const string Collection = "jenkins-poll";

    protected override string LeaderLock => "jenkins-triggers";

    protected override string PollStateCollection => Collection;

    protected override IReadOnlyList<JenkinsMaster> Servers => options.Value.Masters;

    protected override TimeSpan DefaultInterval => options.Value.PollInterval;

    protected override string NameOf(JenkinsMaster server) => server.Name;

    protected override TimeSpan IntervalOf(JenkinsMaster server) => server.PollInterval ?? options.Value.PollInterval;

    protected override string TriggerType => "jenkins";

    protected override string? SourceOf(JenkinsMaster server, IndexedTrigger trigger) =>
        string.Equals(trigger.Trigger["master"].AsString(), server.Name, StringComparison.OrdinalIgnoreCase)
        && trigger.Trigger["job"].AsString() is { } job && !string.IsNullOrWhiteSpace(job)
            ? job.Trim('/')
            : null;

    protected override Task<JenkinsJobState> PollSourceAsync(JenkinsMaster server, string source, IReadOnlyList<IndexedTrigger> triggers, CancellationToken cancellationToken) =>
        PollJobAsync(server, source, triggers, cancellationToken);

    private async Task<JenkinsJobState> PollJobAsync(JenkinsMaster master, string job, IReadOnlyList<IndexedTrigger> triggers, CancellationToken cancellationToken)
    {
        var key = $"{master.Name.ToLowerInvariant()}/{job}";
        var state = await States.GetAsync<JenkinsJobState>(Collection, key, cancellationToken) ?? new JenkinsJobState { Master = master.Name, Job = job };
        var client = new JenkinsClient(httpClients.CreateClient(HttpClientName), master); // per poll: the factory's handlers rotate
        var previousError = state.Error;
        try
        {
            await ReadBuildsAsync(client, master, job, triggers, state, cancellationToken);
            state.Error = null;
            state.SucceededAt = Time.GetUtcNow().ToUnixTimeMilliseconds();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            state.Error = e is TaskCanceledException ? $"Jenkins master {master.Name} did not answer in time" : e.Message;
            LogJenkinsFailed(Logger, master.Name, job, state.Error);
        }

        state.PolledAt = Time.GetUtcNow().ToUnixTimeMilliseconds();
        await States.PutAsync(Collection, key, state, "jenkins-triggers", cancellationToken);
        if (state.Error != previousError)
        {
            await failures.RecordAsync(triggers, "jenkins", $"{master.Name}/{job}", state.Error, cancellationToken);
        }

        return state;
    }

    private async Task ReadBuildsAsync(JenkinsClient client, JenkinsMaster master, string job, IReadOnlyList<IndexedTrigger> triggers, JenkinsJobState state, CancellationToken cancellationToken)
    {
        var builds = await client.BuildsAsync(job, cancellationToken);
        var highest = builds.Select(b => b["number"].AsLong() ?? 0).DefaultIfEmpty(0).Max();
        state.LastSent = [];
        if (!state.Seeded)
        {
            // Builds that finished before are history; one still running finishes while watched, so it is sent then.
            state.LastBuild = highest;
            state.Waiting = [.. builds.Where(b => b["building"].AsBool() == true).Select(b => b["number"].AsLong() ?? 0)];
            state.Seeded = true;
            LogSeeded(Logger, master.Name, job, highest);
            return;
        }

        var waiting = new List<long>();
        var candidates = builds
            .Where(b => b["number"].AsLong() is { } n && (n > state.LastBuild || state.Waiting.Contains(n)))
            .OrderBy(b => b["number"].AsLong());
        foreach (var build in candidates)
        {
            var number = build["number"].AsLong()!.Value;
            if (build["building"].AsBool() == true || build["result"].AsString() is null)
            {
                waiting.Add(number);
            }
            else if (await SendAsync(client, master, job, triggers, build, number, cancellationToken))
            {
                state.LastSent.Add(number);
            }
            else
            {
                waiting.Add(number); // sent again at the next poll; its event id keeps it to one run
            }
        }

        state.LastBuild = Math.Max(state.LastBuild, highest);
        state.Waiting = waiting;
    }

    /// <summary>One event per property file the job's triggers name (their <c>properties</c> differ); false when one failed.</summary>
    private async Task<bool> SendAsync(JenkinsClient client, JenkinsMaster master, string job, IReadOnlyList<IndexedTrigger> triggers, JsonObject build, long number, CancellationToken cancellationToken)
    {
        var propertyFiles = triggers.Select(t => t.Trigger["propertyFile"].AsString() is { Length: > 0 } f ? f : null).Distinct(StringComparer.Ordinal);
        foreach (var propertyFile in propertyFiles)
        {
            JsonObject? properties = null;
            try
            {
                if (propertyFile is not null)
                {
                    properties = await PropertiesAsync(client, master, job, build, number, propertyFile, cancellationToken);
                }

                await dispatcher.DispatchAsync(EventFor(master, job, build, propertyFile, properties), cancellationToken);
            }
            catch (FormatException e)
            {
                LogBadPropertyFile(Logger, master.Name, job, number, e.Message);
                await dispatcher.DispatchAsync(EventFor(master, job, build, propertyFile, []), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not HttpRequestException)
            {
                LogDispatchFailed(Logger, $"{master.Name}/{job}#{number}", e);
                return false;
            }
        }

        return true;
    }

    private async Task<JsonObject> PropertiesAsync(JenkinsClient client, JenkinsMaster master, string job, JsonObject build, long number, string propertyFile, CancellationToken cancellationToken)
    {
        // igor: the archived artifact whose file name is the trigger's propertyFile (or whose path is, for a file in a folder)
        var artifact = (build["artifacts"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(a => a["fileName"].AsString() == propertyFile || a["relativePath"].AsString() == propertyFile);
        var text = artifact?["relativePath"].AsString() is { } path ? await client.ArtifactAsync(job, number, path, cancellationToken) : null;
        if (text is null)
        {
            LogMissingPropertyFile(Logger, master.Name, job, number, propertyFile);
            return [];
        }

        return PropertyFile.Parse(propertyFile, text);
    }

    /// <summary>The event for a finished build: Spinnaker's <c>buildNumber</c>, <c>buildInfo</c> and <c>properties</c>.</summary>
    public static TriggerEvent EventFor(JenkinsMaster master, string job, JsonObject build, string? propertyFile, JsonObject? properties)
    {
        var number = build["number"].AsLong() ?? 0;
        var fields = new JsonObject
        {
            ["master"] = master.Name,
            ["job"] = job,
            ["buildNumber"] = number,
            ["buildInfo"] = BuildInfo(job, build),
        };
        if (properties is not null)
        {
            fields["properties"] = properties;
        }

        return new TriggerEvent("jenkins", $"{master.Name}/{job}#{number.ToString(CultureInfo.InvariantCulture)}")
        {
            Source = JenkinsTriggerType.SourceOf(master.Name, job, propertyFile),
            TriggerFields = fields,
            Description = $"jenkins {master.Name} {job} #{number} {build["result"].AsString()}",
        };
    }

    /// <summary>Igor's <c>GenericBuild</c>: name, number, url, result, building, timestamp, duration, artifacts and git's <c>scm</c>.</summary>
    public static JsonObject BuildInfo(string job, JsonObject build)
    {
        var scm = new JsonArray();
        foreach (var action in (build["actions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (action["lastBuiltRevision"] is JsonObject revision)
            {
                var branch = (revision["branch"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault()?["name"].AsString();
                scm.Add(new JsonObject
                {
                    ["name"] = branch,
                    ["branch"] = branch?.Split('/', 2) is [_, var local] && branch.StartsWith("origin/", StringComparison.Ordinal) ? local : branch,
                    ["sha1"] = revision["SHA1"].AsString(),
                    ["remoteUrl"] = (action["remoteUrls"] as JsonArray)?.FirstOrDefault().AsString(),
                });
            }
        }

        return new JsonObject
        {
            ["name"] = job,
            ["number"] = build["number"]?.DeepClone(),
            ["url"] = build["url"]?.DeepClone(),
            ["result"] = build["result"]?.DeepClone(),
            ["building"] = false,
            ["fullDisplayName"] = build["fullDisplayName"]?.DeepClone(),
            ["timestamp"] = build["timestamp"]?.DeepClone(),
            ["duration"] = build["duration"]?.DeepClone(),
            ["artifacts"] = new JsonArray([.. (build["artifacts"] as JsonArray ?? []).OfType<JsonObject>().Select(a => (JsonNode)a.DeepClone())]),
            ["scm"] = scm,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "jenkins triggers: first poll of {Master} {Job} recorded build #{Build}; nothing starts for it")]
    private static partial void LogSeeded(ILogger Logger, string master, string job, long build);

    [LoggerMessage(Level = LogLevel.Warning, Message = "jenkins triggers: polling {Master} {Job} failed: {Error}; retried at the next interval")]
    private static partial void LogJenkinsFailed(ILogger Logger, string master, string job, string error);


    [LoggerMessage(Level = LogLevel.Warning, Message = "jenkins triggers: build {Master} {Job} #{Build} has no property file '{PropertyFile}'; its trigger gets no properties")]
    private static partial void LogMissingPropertyFile(ILogger Logger, string master, string job, long build, string propertyFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "jenkins triggers: the property file of {Master} {Job} #{Build} could not be read: {Error}; its trigger gets no properties")]
    private static partial void LogBadPropertyFile(ILogger Logger, string master, string job, long build, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "jenkins event {EventId} could not be dispatched; the next poll sends it again")]
    private static partial void LogDispatchFailed(ILogger Logger, string eventId, Exception exception);
}
