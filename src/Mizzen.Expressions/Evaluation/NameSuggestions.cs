namespace Mizzen.Expressions.Evaluation;

/// <summary>"Did you mean": the available names closest to a missing one by edit distance.</summary>
internal static class NameSuggestions
{
    public static IReadOnlyList<string> Nearest(string missing, IEnumerable<string> available, int max = 3)
    {
        var threshold = Math.Max(2, missing.Length / 3);
        return available
            .Distinct(StringComparer.Ordinal)
            .Select(name => (name, distance: Distance(missing, name)))
            .Where(c => c.distance <= threshold && c.name != missing)
            .OrderBy(c => c.distance)
            .ThenBy(c => c.name, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.name)
            .ToList();
    }

    /// <summary>Levenshtein distance where a change of letter case alone costs nothing.</summary>
    public static int Distance(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        if (Math.Abs(a.Length - b.Length) > 8)
        {
            return int.MaxValue;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
