using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Methods;

/// <summary>The <c>java.lang.String</c> methods pipelines call. Regex methods use Java's rules (full match, trailing empties dropped by split).</summary>
internal static class StringMethods
{
    public static bool TryInvoke(string s, string name, object?[] args, EvaluationState state, out object? result)
    {
        // New strings are charged to the evaluation's memory bound by MethodDispatch.
        result = (name, args.Length) switch
        {
            ("length", 0) => s.Length,
            ("isEmpty", 0) => JsonValues.Box(s.Length == 0),
            ("isBlank", 0) => JsonValues.Box(string.IsNullOrWhiteSpace(s)),
            ("contains", 1) => JsonValues.Box(s.Contains(Text(args, 0, name), StringComparison.Ordinal)),
            ("startsWith", 1) => JsonValues.Box(s.StartsWith(Text(args, 0, name), StringComparison.Ordinal)),
            ("startsWith", 2) => JsonValues.Box(StartsWithAt(s, Text(args, 0, name), Int(args, 1, name))),
            ("endsWith", 1) => JsonValues.Box(s.EndsWith(Text(args, 0, name), StringComparison.Ordinal)),
            ("equalsIgnoreCase", 1) => JsonValues.Box(args[0] is string other && string.Equals(s, other, StringComparison.OrdinalIgnoreCase)),
            ("compareTo", 1) => Math.Sign(string.CompareOrdinal(s, Text(args, 0, name))),
            ("compareToIgnoreCase", 1) => Math.Sign(string.Compare(s, Text(args, 0, name), StringComparison.OrdinalIgnoreCase)),
            ("toLowerCase", 0) => s.ToLowerInvariant(),
            ("toUpperCase", 0) => s.ToUpperInvariant(),
            ("trim", 0) => s.Trim(TrimmedByJava),
            ("strip", 0) => s.Trim(),
            ("substring", 1) => Substring(s, Int(args, 0, name), s.Length),
            ("substring", 2) => Substring(s, Int(args, 0, name), Int(args, 1, name)),
            ("indexOf", 1) => s.IndexOf(Text(args, 0, name), StringComparison.Ordinal),
            ("indexOf", 2) => IndexFrom(s, Text(args, 0, name), Int(args, 1, name)),
            ("lastIndexOf", 1) => s.LastIndexOf(Text(args, 0, name), StringComparison.Ordinal),
            ("replace", 2) => Replace(s, Text(args, 0, name), Text(args, 1, name), state),
            ("replaceAll", 2) => state.Environment.Regexes.ReplaceAll(s, Text(args, 0, name), Text(args, 1, name), state.Environment.Options.MaxResultLength),
            ("replaceFirst", 2) => state.Environment.Regexes.ReplaceAll(s, Text(args, 0, name), Text(args, 1, name), state.Environment.Options.MaxResultLength, firstOnly: true),
            ("matches", 1) => JsonValues.Box(state.Environment.Regexes.FullMatch(Text(args, 0, name), s)),
            ("split", 1) => Split(s, Text(args, 0, name), state),
            ("concat", 1) => Concat(s, Text(args, 0, name), state),
            ("charAt", 1) => CharAt(s, Int(args, 0, name)),
            ("repeat", 1) => Repeat(s, Int(args, 0, name), state),
            ("toCharArray", 0) => state.ChargeCollection(new ValueList(s.Select(c => (object?)c.ToString())) { IsArray = true }, s.Length),
            ("hashCode", 0) => JavaHashCode(s),
            _ => null,
        };
        return result is not null;
    }

    private static readonly char[] TrimmedByJava = Enumerable.Range(0, 33).Select(i => (char)i).ToArray();

    private static bool StartsWithAt(string s, string prefix, int offset) =>
        offset >= 0 && offset <= s.Length && s.AsSpan(offset).StartsWith(prefix, StringComparison.Ordinal);

    private static string Substring(string s, int begin, int end)
    {
        if (begin < 0 || end > s.Length || begin > end)
        {
            throw new ExpressionException($"substring: begin {begin}, end {end}, length {s.Length} (StringIndexOutOfBoundsException)");
        }

        return s[begin..end];
    }

    private static int IndexFrom(string s, string value, int from) =>
        from >= s.Length ? (value.Length == 0 ? s.Length : -1) : s.IndexOf(value, Math.Max(0, from), StringComparison.Ordinal);

    /// <summary>Java's literal <c>replace</c>; the result's length is known before it is built, and refused past the bound.</summary>
    private static string Replace(string s, string target, string replacement, EvaluationState state)
    {
        var occurrences = target.Length == 0 ? s.Length + 1L : Occurrences(s, target);
        state.CheckLength(s.Length + (occurrences * (replacement.Length - target.Length)));
        return target.Length == 0
            ? string.Join(replacement, s.Select(c => c.ToString()).Prepend("").Append(""))
            : s.Replace(target, replacement, StringComparison.Ordinal);
    }

    private static long Occurrences(string s, string target)
    {
        long count = 0;
        for (var at = s.IndexOf(target, StringComparison.Ordinal); at >= 0; at = s.IndexOf(target, at + target.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Concat(string s, string other, EvaluationState state)
    {
        state.CheckLength((long)s.Length + other.Length);
        return s + other;
    }

    private static ValueList Split(string s, string pattern, EvaluationState state)
    {
        var parts = state.Environment.Regexes.Split(s, pattern);
        state.Charge(MemoryCost.String(s.Length));
        return state.ChargeCollection(new ValueList(parts.Select(p => (object?)p)) { IsArray = true }, parts.Length);
    }

    private static string CharAt(string s, int index) =>
        index >= 0 && index < s.Length
            ? s[index].ToString()
            : throw new ExpressionException($"charAt: index {index}, length {s.Length} (StringIndexOutOfBoundsException)");

    private static string Repeat(string s, int count, EvaluationState state)
    {
        if (count < 0)
        {
            throw new ExpressionException($"repeat: count is negative: {count}");
        }

        state.CheckLength((long)s.Length * count);

        return string.Concat(Enumerable.Repeat(s, count));
    }

    public static int JavaHashCode(string s)
    {
        var hash = 0;
        foreach (var c in s)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }
}
