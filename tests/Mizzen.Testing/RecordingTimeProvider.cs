using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Mizzen.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> (at <see cref="TestTime.Start"/>) that also reports each timer created, so a test can see a
/// wait (a backoff, a retry interval) begin and then advance past it.
/// </summary>
public sealed class RecordingTimeProvider() : FakeTimeProvider(TestTime.Start)
{
    private readonly Channel<TimeSpan> timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (or created already and not yet reported); fails after 15 s.</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await timers.Reader.ReadAsync(cts.Token);
    }
}
