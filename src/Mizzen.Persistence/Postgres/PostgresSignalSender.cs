using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mizzen.Persistence.Postgres;

/// <summary>
/// Sends this node's signals to the other nodes with <c>pg_notify</c>, off the publisher's path: publishers only write to a
/// bounded channel (the oldest signals are dropped if PostgreSQL is unreachable for long: signals are hints). The loop drains
/// whatever has accumulated, coalesces it (one wake-up, each cancel and change once), packs the ids into as few notifications
/// as fit PostgreSQL's 8000-byte payload limit, and sends them all in one statement. A payload is the sender's node id on the
/// first line, then one item per line.
/// </summary>
internal sealed partial class PostgresSignalSender(NpgsqlConnectionStringBuilder connection, string nodeId, TimeProvider time, ILogger logger)
    : IAsyncDisposable
{
    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more; stay below with room to spare.</summary>
    internal const int MaxPayloadBytes = 7_900;

    private const int MaxPending = 10_000;
    private const int MaxNotificationsPerStatement = 100;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private readonly Channel<(string Channel, string Item)> outbox = Channel.CreateBounded<(string, string)>(
        new BoundedChannelOptions(MaxPending) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connection);

    /// <summary>One change as a line: the execution id and application, tab-separated.</summary>
    public static string Change(string executionId, string application) => $"{executionId}\t{application}";

    public void Send(string channel, string item)
    {
        // Ids and application names never hold line breaks; one that did would split into bogus items, so it is not sent.
        if (!item.Contains('\n', StringComparison.Ordinal))
        {
            outbox.Writer.TryWrite((channel, item));
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var retry = FirstRetry;
        while (true)
        {
            try
            {
                if (pending.Count == 0 && !await outbox.Reader.WaitToReadAsync(cancellationToken))
                {
                    return;
                }

                var count = pending.Values.Sum(items => items.Count);
                while (count < MaxPending && outbox.Reader.TryRead(out var signal))
                {
                    if (!pending.TryGetValue(signal.Channel, out var items))
                    {
                        pending[signal.Channel] = items = new HashSet<string>(StringComparer.Ordinal);
                    }

                    count += items.Add(signal.Item) ? 1 : 0;
                }

                await SendAsync(pending, cancellationToken);
                retry = FirstRetry;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogSendFailed(e, retry);
                try
                {
                    await Task.Delay(retry, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = retry * 2 < LastRetry ? retry * 2 : LastRetry;
            }
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <summary>Sends what is pending, removing each item once it has gone out (what fails stays for the next try).</summary>
    private async Task SendAsync(Dictionary<string, HashSet<string>> pending, CancellationToken cancellationToken)
    {
        while (pending.Count > 0)
        {
            var notifications = new List<(string Channel, string Payload, List<string> Items)>();
            foreach (var (channel, items) in pending)
            {
                foreach (var (payload, packed) in Pack(items))
                {
                    notifications.Add((channel, payload, packed));
                    if (notifications.Count == MaxNotificationsPerStatement)
                    {
                        break;
                    }
                }

                if (notifications.Count == MaxNotificationsPerStatement)
                {
                    break;
                }
            }

            var sql = new StringBuilder("SELECT ");
            await using var command = dataSource.CreateCommand();
            for (var i = 0; i < notifications.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append("pg_notify($").Append(2 * i + 1).Append(", $").Append(2 * i + 2).Append(')');
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = notifications[i].Channel });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = notifications[i].Payload });
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
            foreach (var (channel, _, items) in notifications)
            {
                pending[channel].ExceptWith(items);
                if (pending[channel].Count == 0)
                {
                    pending.Remove(channel);
                }
            }
        }
    }

    /// <summary>Packs items into payloads below <see cref="MaxPayloadBytes"/>; an item too long to fit alone is dropped.</summary>
    private IEnumerable<(string Payload, List<string> Items)> Pack(HashSet<string> items)
    {
        var header = Encoding.UTF8.GetByteCount(nodeId);
        var payload = new StringBuilder(nodeId);
        var packed = new List<string>();
        var size = header;
        foreach (var item in items)
        {
            var bytes = Encoding.UTF8.GetByteCount(item) + 1;
            if (header + bytes > MaxPayloadBytes)
            {
                LogTooLong(bytes);
                packed.Add(item);
                continue;
            }

            if (size + bytes > MaxPayloadBytes)
            {
                yield return (payload.ToString(), packed);
                payload = new StringBuilder(nodeId);
                packed = [];
                size = header;
            }

            // A wake-up has no item: its payload is the node id alone.
            if (item.Length > 0)
            {
                payload.Append('\n').Append(item);
            }

            packed.Add(item);
            size += bytes;
        }

        if (packed.Count > 0)
        {
            yield return (payload.ToString(), packed);
        }
    }

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Sending signals to other nodes failed; retrying in {Retry}")]
    private partial void LogSendFailed(Exception exception, TimeSpan retry);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "A signal of {Bytes} bytes is too long for a PostgreSQL notification; the other nodes will see the change when they next read the store")]
    private partial void LogTooLong(int bytes);
}
