namespace Mizzen.Providers.Local.Health;

/// <summary>
/// Turns check results into a health state with thresholds: <c>healthyThreshold</c> passes in a row make an instance Up,
/// <c>unhealthyThreshold</c> failures in a row take an Up instance Down. An instance that never passed stays Starting.
/// </summary>
internal sealed class HealthTracker(int healthyThreshold, int unhealthyThreshold)
{
    private int passes;
    private int failures;

    public InstanceState State { get; private set; } = InstanceState.Starting;

    public InstanceState Record(bool passed)
    {
        if (passed)
        {
            passes++;
            failures = 0;
            if (passes >= Math.Max(1, healthyThreshold))
            {
                State = InstanceState.Up;
            }
        }
        else
        {
            failures++;
            passes = 0;
            if (State == InstanceState.Up && failures >= Math.Max(1, unhealthyThreshold))
            {
                State = InstanceState.Down;
            }
        }

        return State;
    }

    public void Reset()
    {
        passes = 0;
        failures = 0;
        State = InstanceState.Starting;
    }
}
