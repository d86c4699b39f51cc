namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>
/// Smooth weighted round robin (nginx's): each pick adds every eligible target's weight to its score, takes the highest and subtracts
/// the total from it. Over any window the picks follow the weights closely (80/10/10 gives 8, 1, 1 of every 10), with no randomness.
/// Targets with nothing to route to are skipped and the others share their traffic.
/// </summary>
internal sealed class WeightedTargetPicker
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> scores = new(StringComparer.Ordinal);

    /// <summary>The index of the chosen target, or -1 when none is eligible.</summary>
    public int Pick(IReadOnlyList<int> weights, IReadOnlyList<bool> eligible, IReadOnlyList<string> keys)
    {
        lock (gate)
        {
            long total = 0;
            var best = -1;
            for (var i = 0; i < weights.Count; i++)
            {
                if (!eligible[i] || weights[i] <= 0)
                {
                    continue;
                }

                var score = scores.GetValueOrDefault(keys[i]) + weights[i];
                scores[keys[i]] = score;
                total += weights[i];
                if (best < 0 || score > scores[keys[best]])
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                scores[keys[best]] -= total;
            }

            return best;
        }
    }
}
