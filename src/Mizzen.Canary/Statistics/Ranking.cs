namespace Mizzen.Canary.Statistics;

/// <summary>Ranks with ties sharing their average rank (1-based); NaN ranks above every number.</summary>
public static class Ranking
{
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        var keys = values.ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            if (double.IsNaN(keys[i]))
            {
                keys[i] = double.PositiveInfinity;
            }
        }

        var sortedKeys = (double[])keys.Clone();
        Array.Sort(sortedKeys, order);
        var ranks = new double[values.Length];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && sortedKeys[end + 1] == sortedKeys[start])
            {
                end++;
            }

            var average = ((start + 1) + (end + 1)) / 2.0;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = average;
            }

            start = end + 1;
        }

        return ranks;
    }
}
