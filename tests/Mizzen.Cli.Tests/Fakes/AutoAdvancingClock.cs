using Microsoft.Extensions.Time.Testing;
using Mizzen.Testing;

namespace Mizzen.Cli.Tests.Fakes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that moves forward by exactly the time a timer asks for, as soon as the timer is
/// created (on the thread pool), so code that waits between polls or reconnects runs without sleeping.
/// FakeTimeProvider's own auto-advance moves time on every clock read, which would neither fire a waiting timer nor keep
/// displayed times stable, hence this small override. Starts at <see cref="TestTime.Start"/>.
/// </summary>
public sealed class AutoAdvancingClock() : FakeTimeProvider(TestTime.Start)
{
    private readonly Lock gate = new();
    private readonly List<TimeSpan> waits = [];

    /// <summary>Every timer's due time, in the order they were asked for.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (gate)
            {
                return [.. waits];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime > TimeSpan.Zero)
        {
            lock (gate)
            {
                waits.Add(dueTime);
            }

            ThreadPool.QueueUserWorkItem(_ => Advance(dueTime));
        }

        return timer;
    }
}
