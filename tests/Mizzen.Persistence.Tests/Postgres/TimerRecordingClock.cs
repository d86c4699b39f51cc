using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Mizzen.Testing;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>A <see cref="FakeTimeProvider"/> that reports each timer created, so a test can see a retry wait begin and then advance past it.</summary>
internal sealed class TimerRecordingClock() : FakeTimeProvider(TestTime.Start)
{
    private readonly Channel<TimeSpan> timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        timers.Writer.TryWrite(dueTime);
        return timer;
    }

    public async Task<TimeSpan> NextTimerAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await timers.Reader.ReadAsync(cts.Token);
    }
}
