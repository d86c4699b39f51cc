using System.Text.Json.Nodes;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Types;

namespace Mizzen.Expressions.Values;

/// <summary>SpEL's <c>==</c> and ordering: numbers by value across types, strings by text (so a status equals its name), collections by content.</summary>
internal static class ValueComparison
{
    public static bool AreEqual(object? left, object? right, int depth = 0)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (Arithmetic.IsNumber(left) && Arithmetic.IsNumber(right))
        {
            return Arithmetic.Compare(left, right) == 0;
        }

        if (depth > 64)
        {
            return false;
        }

        switch (left)
        {
            case string s:
                return right is string t && string.Equals(s, t, StringComparison.Ordinal);
            case bool b:
                return right is bool c && b == c;
            case JsonArray or ValueList when ValueCollections.IsList(right):
                return ValueCollections.Count(left) == ValueCollections.Count(right!)
                       && ValueCollections.Items(left).Zip(ValueCollections.Items(right!)).All(p => AreEqual(p.First, p.Second, depth + 1));
            case JsonObject or ValueMap when ValueCollections.IsMap(right):
                return ValueCollections.MapCount(left) == ValueCollections.MapCount(right!)
                       && ValueCollections.Entries(left).All(e =>
                           ValueCollections.TryGet(right!, e.Key, out var other) && AreEqual(e.Value, other, depth + 1));
            case StageView stage:
                return right is StageView other && stage.Stage.Id == other.Stage.Id;
            default:
                return left.Equals(right);
        }
    }

    public static int Compare(object? left, object? right)
    {
        if (Arithmetic.IsNumber(left) && Arithmetic.IsNumber(right))
        {
            return Arithmetic.Compare(left!, right!);
        }

        if (left is string s && right is string t)
        {
            return string.CompareOrdinal(s, t) switch { < 0 => -1, > 0 => 1, _ => 0 };
        }

        if (left is IComparable comparable && right is not null && left.GetType() == right.GetType() && left is IJavaObject or DateOnly or bool)
        {
            return comparable.CompareTo(right);
        }

        if (left is null && right is null)
        {
            return 0;
        }

        throw new ExpressionException(
            $"EL1013E: Cannot compare instances of {JavaTypeNames.Of(left)} and {JavaTypeNames.Of(right)}");
    }

    /// <summary>Spring's conversion to boolean: a Boolean, or the strings true/false (also yes/no/on/off/1/0).</summary>
    public static bool ToBoolean(object? value, string what)
    {
        switch (value)
        {
            case bool b:
                return b;
            case string s:
                switch (s.Trim().ToLowerInvariant())
                {
                    case "true" or "on" or "yes" or "1":
                        return true;
                    case "false" or "off" or "no" or "0" or "":
                        return false;
                }

                break;
            case null:
                throw new ExpressionException($"EL1001E: Type conversion problem, cannot convert from null to java.lang.Boolean ({what})");
        }

        throw new ExpressionException(
            $"EL1001E: Type conversion problem, cannot convert from {JavaTypeNames.Of(value)} to java.lang.Boolean ({what})");
    }
}
