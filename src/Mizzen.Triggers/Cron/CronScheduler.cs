using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Documents;

namespace Mizzen.Triggers.Cron;

/// <summary>
/// Fires cron triggers, on one node at a time (the leader lock <c>cron-triggers</c>; another node takes over when it dies). Each
/// trigger's last fired time is kept in the document store (<c>cron-state</c>), so after downtime, or a leader change, a trigger whose
/// time passed fires once for the latest time it missed (never once per missed time), and a new trigger starts from now. Each firing
/// is an event with the id <c>{trigger}@{time}</c>, so a leader that dies between dispatching and recording does not start the run
/// twice. The loop sleeps until the next due time (at most <see cref="CronOptions.RefreshInterval"/>, to see changed triggers).
/// </summary>
public sealed partial class CronScheduler(
    TriggerIndex index,
    TriggerDispatcher dispatcher,
    IDocumentStore documents,
    INodeCoordination coordination,
    IOptions<CronOptions> options,
    TimeProvider time,
    ILogger<CronScheduler> logger) : BackgroundService
{
    private const string StateCollection = "cron-state";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        coordination.RunAsLeaderAsync("cron-triggers", RunAsync, TimeSpan.FromSeconds(5), stoppingToken);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var zone = options.Value.Zone();
        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                next = await FireDueAsync(zone, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store that is briefly unreachable must not stop the scheduler (or, through the host, the server): look again later.
                LogPassFailed(logger, e);
            }

            var now = time.GetUtcNow();
            var wait = options.Value.RefreshInterval;
            if (next is { } due && due - now < wait)
            {
                wait = due - now;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    /// <summary>Fires every enabled cron trigger whose time has come; returns the earliest next due time of all of them.</summary>
    public async Task<DateTimeOffset?> FireDueAsync(TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        DateTimeOffset? earliest = null;
        foreach (var trigger in await index.OfTypeAsync("cron", cancellationToken))
        {
            if (!trigger.Enabled || CronTriggerType.Schedule(trigger) is not { } schedule)
            {
                continue;
            }

            var now = time.GetUtcNow();
            var stateKey = $"{trigger.Key}|{schedule.Text}"; // a changed expression starts afresh, without a catch-up of the old one
            var last = await documents.GetAsync(StateCollection, stateKey, null, cancellationToken) is { } stored
                ? DateTimeOffset.Parse(stored.Body, CultureInfo.InvariantCulture)
                : (DateTimeOffset?)null;
            if (last is null)
            {
                await documents.PutAsync(StateCollection, stateKey, now.ToString("O", CultureInfo.InvariantCulture), "cron", cancellationToken);
                last = now;
            }
            else if (schedule.LastBetween(last.Value, now, zone) is { } due)
            {
                if (!await FireAsync(trigger, schedule, due, cancellationToken))
                {
                    continue; // not recorded as fired: the next pass (within the refresh interval) tries this time again; its event id keeps it to one run
                }

                await documents.PutAsync(StateCollection, stateKey, due.ToString("O", CultureInfo.InvariantCulture), "cron", cancellationToken);
                last = due;
            }

            if (schedule.Next(last.Value > now ? last.Value : now, zone) is { } next && (earliest is null || next < earliest))
            {
                earliest = next;
            }
        }

        return earliest;
    }

    /// <summary>Dispatches one due time; false when that failed (logged), so it is not recorded as fired.</summary>
    private async Task<bool> FireAsync(IndexedTrigger trigger, QuartzCron schedule, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var at = due.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var triggerEvent = new TriggerEvent("cron", $"{trigger.Key}@{at}")
        {
            Source = trigger.Key,
            Description = $"cron '{schedule.Text}' due at {at}",
        };
        try
        {
            await dispatcher.DispatchAsync(triggerEvent, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, trigger.Config.Application, trigger.Config.Name, at, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cron triggers: a pass failed; the next one is after the refresh interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "cron trigger of {Application}/{Pipeline} due at {At} could not be dispatched")]
    private static partial void LogFailed(ILogger logger, string application, string pipeline, string at, Exception exception);
}
