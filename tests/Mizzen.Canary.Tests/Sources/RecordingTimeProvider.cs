using System.Threading.Channels;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Sources;

/// <summary>A <see cref="TestClock"/> that also reports each timer created, so a test can see a backoff begin and then advance past it.</summary>
internal sealed class RecordingTimeProvider(TestClock clock) : TimeProvider
{
    private readonly Channel<TimeSpan> timers = Channel.CreateUnbounded<TimeSpan>();

    public TestClock Clock => clock;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = clock.CreateTimer(callback, state, dueTime, period);
        timers.Writer.TryWrite(dueTime);
        return timer;
    }

    public async Task<TimeSpan> NextTimerAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await timers.Reader.ReadAsync(cts.Token);
    }
}
