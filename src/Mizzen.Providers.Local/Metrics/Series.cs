namespace Mizzen.Providers.Local.Metrics;

/// <summary>
/// One time series at a fixed resolution: samples in time order, one per slot (a later sample in the same slot replaces the earlier),
/// older than the retention dropped.
/// </summary>
internal sealed class Series(IReadOnlyDictionary<string, string> labels)
{
    private readonly Lock gate = new();
    private readonly List<(long Slot, double Value)> samples = [];

    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public long LastSlot
    {
        get
        {
            lock (gate)
            {
                return samples.Count == 0 ? long.MinValue : samples[^1].Slot;
            }
        }
    }

    public void Add(long slot, double value, long oldestKept)
    {
        lock (gate)
        {
            if (samples.Count > 0 && samples[^1].Slot == slot)
            {
                samples[^1] = (slot, value);
            }
            else if (samples.Count == 0 || samples[^1].Slot < slot)
            {
                samples.Add((slot, value));
            }

            var drop = 0;
            while (drop < samples.Count && samples[drop].Slot < oldestKept)
            {
                drop++;
            }

            if (drop > 0)
            {
                samples.RemoveRange(0, drop);
            }
        }
    }

    /// <summary>The latest sample at or before <paramref name="slot"/> and not before <paramref name="notBefore"/>.</summary>
    public (long Slot, double Value)? LatestAtOrBefore(long slot, long notBefore)
    {
        lock (gate)
        {
            int lo = 0, hi = samples.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (samples[mid].Slot <= slot)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return found >= 0 && samples[found].Slot >= notBefore ? samples[found] : null;
        }
    }
}
