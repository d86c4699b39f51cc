using System.Collections.Concurrent;

namespace Mizzen.Expressions.Parsing;

/// <summary>Thread-safe cache of parsed text. Bounded: when it reaches its capacity it is emptied and fills again.</summary>
internal sealed class ParsedExpressionCache<T>(int capacity, Func<string, T> parse)
    where T : class
{
    private readonly ConcurrentDictionary<string, T> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public T Get(string text)
    {
        if (entries.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var parsed = parse(text);
        if (entries.Count >= capacity)
        {
            entries.Clear();
        }

        entries.TryAdd(text, parsed);
        return parsed;
    }
}
