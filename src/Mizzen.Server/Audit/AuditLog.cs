using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Mizzen.Core.Ids;
using Mizzen.Persistence.Audit;
using Mizzen.Server.Security;

namespace Mizzen.Server.Audit;

/// <summary>
/// <see cref="IAuditLog"/>: entries are stamped (id, time, who, address) on the caller's thread. A store write's record
/// (<see cref="Stamp"/>) goes into that write's own transaction and never through here. Other entries (<see cref="Record"/>) are queued in
/// a bounded channel and written by one loop in batches of up to <see cref="BatchSize"/>: a burst costs the store one transaction per
/// batch, and every request waiting on its entries (<see cref="WhenWrittenAsync"/>, at most <see cref="AuditOptions.DurableWait"/>) is
/// released by the batch that wrote them (group commit). The same loop purges records older than <see cref="AuditOptions.RetentionDays"/>.
/// When the queue is full (the store has been down for a while) new entries are dropped and counted in the log rather than
/// blocking requests; at shutdown the queue is drained.
/// </summary>
public sealed partial class AuditLog(
    IAuditStore store, IHttpContextAccessor http, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditLog> logger)
    : BackgroundService, IAuditLog
{
    public const int BatchSize = 200;

    /// <summary>The request item that says an entry was recorded for this request (so <see cref="AuditMiddleware"/> adds none).</summary>
    internal const string RecordedItem = "mizzen.audit.recorded";

    /// <summary>The request item holding the write completions of the entries this request queued.</summary>
    private const string PendingItem = "mizzen.audit.pending";

    // Not SingleReader: FlushAsync (shutdown, tests) reads beside the loop.
    private readonly Channel<Queued> queue = Channel.CreateBounded<Queued>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite });

    private readonly Lock idLock = new();
    private string lastId = "";
    private long dropped;

    public void Record(AuditEntry entry)
    {
        var record = Stamp(entry);
        var context = http.HttpContext;
        var written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (context is not null)
        {
            context.Items[RecordedItem] = true;

            // Only a request still to be answered waits for its entries (not a UI circuit's long-lived connection).
            if (!context.Response.HasStarted)
            {
                if (context.Items[PendingItem] is not List<Task<bool>> pending)
                {
                    context.Items[PendingItem] = pending = [];
                }

                pending.Add(written.Task);
            }
        }

        if (!queue.Writer.TryWrite(new Queued(record, written)))
        {
            Interlocked.Increment(ref dropped);
            written.TrySetResult(false);
        }
    }

    public void MarkRecorded()
    {
        if (http.HttpContext is { } context)
        {
            context.Items[RecordedItem] = true;
        }
    }

    public AuditRecord Stamp(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var context = http.HttpContext;
        return new AuditRecord(
            NextId(),
            time.GetUtcNow(),
            entry.User ?? (context is null ? Core.Model.Users.Anonymous : context.User()),
            entry.Action,
            entry.Target,
            entry.Address ?? context?.Connection.RemoteIpAddress?.ToString(),
            entry.Status,
            entry.Before,
            entry.After,
            entry.Detail);
    }

    /// <summary>
    /// Waits until the entries the request <paramref name="context"/> queued are written, at most <see cref="AuditOptions.DurableWait"/>
    /// (a store that is down must not hold every response: the entries stay queued and are written when it is back) and no longer than
    /// the client waits. Returns false when one was dropped or is not written yet.
    /// </summary>
    public async Task<bool> WhenWrittenAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[PendingItem] is not List<Task<bool>> { Count: > 0 } pending)
        {
            return true;
        }

        var waiting = pending.ToArray();
        pending.Clear();
        try
        {
            var written = await Task.WhenAll(waiting).WaitAsync(options.Value.DurableWait, time, context.RequestAborted);
            return written.All(w => w);
        }
        catch (TimeoutException)
        {
            LogNotWrittenYet(waiting.Length, options.Value.DurableWait);
            return false;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return false; // the client left: nobody is told anything before the entries are written
        }
    }

    /// <summary>
    /// A ULID that sorts after every id this log handed out before: two entries in the same millisecond get the next value rather than
    /// random ones, so "newest first" and paging keep the order in which changes were recorded.
    /// </summary>
    private string NextId()
    {
        var id = Ulid.NewUlid(time);
        lock (idLock)
        {
            lastId = string.CompareOrdinal(id, lastId) > 0 ? id : Successor(lastId);
            return lastId;
        }
    }

    /// <summary>The next Crockford base32 string of the same length (the last id plus one).</summary>
    private static string Successor(string id)
    {
        const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var chars = id.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            var digit = Alphabet.IndexOf(chars[i], StringComparison.Ordinal);
            if (digit < Alphabet.Length - 1)
            {
                chars[i] = Alphabet[digit + 1];
                return new string(chars);
            }

            chars[i] = '0';
        }

        throw new InvalidOperationException("audit ids exhausted");
    }

    /// <summary>Writes what is queued now; tests and shutdown call it so a query sees every entry recorded before.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Queued>(BatchSize);
        while (queue.Reader.TryRead(out var queued))
        {
            batch.Add(queued);
            if (batch.Count == BatchSize)
            {
                await WriteAsync(batch, cancellationToken);
            }
        }

        await WriteAsync(batch, cancellationToken);
    }

    /// <summary>Writes a batch in one transaction, then releases whoever waits on its entries; the batch is emptied only once written.</summary>
    private async Task WriteAsync(List<Queued> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await store.AppendAsync(batch.ConvertAll(q => q.Record), cancellationToken);
        foreach (var queued in batch)
        {
            queued.Written.TrySetResult(true);
        }

        batch.Clear();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWriteFailed(e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPurge = time.GetUtcNow();
        var batch = new List<Queued>(BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await queue.Reader.WaitToReadAsync(stoppingToken))
                {
                    return;
                }

                while (batch.Count < BatchSize && queue.Reader.TryRead(out var queued))
                {
                    batch.Add(queued);
                }

                await WriteAsync(batch, stoppingToken);
                if (Interlocked.Exchange(ref dropped, 0) is var lost and > 0)
                {
                    LogDropped(lost, options.Value.QueueCapacity);
                }

                if (time.GetUtcNow() >= nextPurge)
                {
                    nextPurge = time.GetUtcNow() + options.Value.PurgeInterval;
                    await PurgeAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The batch stays and is written with the next one: the store may be back by then.
                LogWriteFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    /// <summary>Deletes records past retention in batches, so a large backlog never holds the store's writer for long.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var total = 0;
        int deleted;
        do
        {
            deleted = await store.PurgeAsync(cutoff, 1000, cancellationToken);
            total += deleted;
        }
        while (deleted == 1000);

        return total;
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Writing the audit log failed; the entries are kept and written again")]
    private partial void LogWriteFailed(Exception exception);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "{Count} audit entries were dropped: the audit queue ({Capacity}) was full because the store did not keep up")]
    private partial void LogDropped(long count, int capacity);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "{Count} audit entries of a request were not written within {Wait}; the response goes out and they stay queued")]
    private partial void LogNotWrittenYet(int count, TimeSpan wait);

    /// <summary>A queued entry and the completion its request may wait on.</summary>
    private sealed record Queued(AuditRecord Record, TaskCompletionSource<bool> Written);
}

/// <summary><c>Mizzen:Audit</c>: how long records are kept, how often old ones are purged, and the in-memory queue's size.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Mizzen:Audit";

    /// <summary>Days a record is kept (365: a year, what audits of regulated teams usually ask for).</summary>
    public int RetentionDays { get; set; } = 365;

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>
    /// How long a state-changing request's response waits for its queued entries (a login, a refused request) to be written (5 s). Past
    /// it the response goes out and the entries stay queued: a store that is down must not hold every request.
    /// </summary>
    public TimeSpan DurableWait { get; set; } = TimeSpan.FromSeconds(5);
}
