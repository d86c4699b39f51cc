using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Mizzen.Expressions.Safety;

/// <summary>Java regular expressions run as .NET ones, compiled once, each match bounded by a timeout (no catastrophic backtracking).</summary>
internal sealed class RegexCache(TimeSpan timeout)
{
    private const int Capacity = 1_000;
    private readonly ConcurrentDictionary<string, Regex> cache = new(StringComparer.Ordinal);

    public Regex Get(string pattern)
    {
        if (cache.TryGetValue(pattern, out var regex))
        {
            return regex;
        }

        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, timeout);
        }
        catch (ArgumentException e)
        {
            throw new ExpressionException($"invalid regular expression '{pattern}': {e.Message}");
        }

        if (cache.Count >= Capacity)
        {
            cache.Clear();
        }

        cache.TryAdd(pattern, regex);
        return regex;
    }

    public bool FullMatch(string pattern, string input) => Run(() =>
    {
        var match = Get(pattern).Match(input);
        while (match.Success)
        {
            if (match.Index == 0 && match.Length == input.Length)
            {
                return true;
            }

            match = match.NextMatch();
        }

        return Get("^(?:" + pattern + ")$").IsMatch(input);
    });

    public bool Find(string pattern, string input) => Run(() => Get(pattern).IsMatch(input));

    /// <summary>Java's <c>replaceAll</c>/<c>replaceFirst</c>; stops as soon as the result would pass <paramref name="maxLength"/>.</summary>
    public string ReplaceAll(string input, string pattern, string javaReplacement, int maxLength, bool firstOnly = false) => Run(() =>
    {
        var regex = Get(pattern);
        var replacement = ToNetReplacement(javaReplacement);
        if (!replacement.Contains('$', StringComparison.Ordinal))
        {
            // No group references: the result is at most the input plus one replacement per match, so the fast
            // built-in replacement is safe whenever that bound is within the limit.
            var matches = firstOnly ? Math.Min(1, regex.Count(input)) : regex.Count(input);
            if (input.Length + ((long)matches * replacement.Length) <= maxLength)
            {
                return regex.Replace(input, replacement, firstOnly ? 1 : -1);
            }
        }

        var length = (long)input.Length;
        return regex.Replace(input, Replace, firstOnly ? 1 : -1);

        string Replace(Match match)
        {
            var text = match.Result(replacement);
            length += text.Length - match.Length;
            if (length > maxLength)
            {
                throw new ExpressionLimitExceededException(
                    $"replaceAll would produce a string of more than {maxLength} characters; the limit is Mizzen:Expressions:MaxResultLength");
            }

            return text;
        }
    });

    /// <summary>Java's <c>String.split</c>: trailing empty strings are removed.</summary>
    public string[] Split(string input, string pattern) => Run(() =>
    {
        if (input.Length == 0)
        {
            return [""];
        }

        var parts = Get(pattern).Split(input).ToList();
        if (parts.Count > 1 && parts[0].Length == 0 && Get(pattern).Match(input) is { Index: 0, Length: 0 })
        {
            parts.RemoveAt(0);
        }

        while (parts.Count > 1 && parts[^1].Length == 0)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts.Count == 1 && parts[0].Length == 0 && input.Length > 0 ? [] : parts.ToArray();
    });

    private static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ExpressionLimitExceededException("regular expression took too long to match; simplify the pattern");
        }
    }

    /// <summary>Java writes group references as <c>$1</c> and escapes with a backslash; .NET escapes a dollar as <c>$$</c>.</summary>
    private static string ToNetReplacement(string java)
    {
        var builder = new StringBuilder(java.Length);
        for (var i = 0; i < java.Length; i++)
        {
            var c = java[i];
            if (c == '\\' && i + 1 < java.Length)
            {
                var escaped = java[++i];
                builder.Append(escaped == '$' ? "$$" : escaped.ToString());
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
