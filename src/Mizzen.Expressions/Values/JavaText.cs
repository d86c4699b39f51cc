using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Expressions.Evaluation;

namespace Mizzen.Expressions.Values;

/// <summary>Java's <c>toString()</c> for expression values: <c>{a=1}</c> for maps, <c>[a, b]</c> for lists, <c>1.0</c> for doubles.</summary>
internal static class JavaText
{
    /// <summary>Where a value's text is built without an evaluation at hand (map keys, messages): a safety net only.</summary>
    private const int UnboundedCallerLimit = 16 * 1024 * 1024;

    /// <summary>
    /// The text of a value inside an evaluation, refused as soon as it passes <c>MaxResultLength</c> (a list holding the same
    /// large map many times is never written out in full). Whoever keeps the text charges it to the memory bound.
    /// </summary>
    public static string ToJavaString(object? value, EvaluationState state) =>
        ToJavaString(value, state.Environment.Options.MaxResultLength);

    public static string ToJavaString(object? value) => ToJavaString(value, UnboundedCallerLimit);

    private static string ToJavaString(object? value, int maxLength)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case int or long:
                return Convert.ToString(value, CultureInfo.InvariantCulture)!;
            case double d:
                return FormatDouble(d);
            case float f:
                return FormatDouble(f, single: true);
            default:
                var builder = new StringBuilder();
                Append(builder, value, 0, maxLength);
                CheckLength(builder, maxLength);
                return builder.ToString();
        }
    }

    private static void CheckLength(StringBuilder builder, int maxLength)
    {
        if (builder.Length > maxLength)
        {
            throw new ExpressionLimitExceededException(
                $"expression produced a string of more than {maxLength} characters; the limit is Mizzen:Expressions:MaxResultLength");
        }
    }

    private static void Append(StringBuilder builder, object? value, int depth, int maxLength)
    {
        CheckLength(builder, maxLength);

        if (depth > 64)
        {
            builder.Append("...");
            return;
        }

        switch (value)
        {
            case JsonArray or ValueList:
                builder.Append('[');
                var first = true;
                foreach (var item in ValueCollections.Items(value))
                {
                    builder.Append(first ? "" : ", ");
                    first = false;
                    Append(builder, item, depth + 1, maxLength);
                }

                builder.Append(']');
                break;
            case JsonObject or ValueMap:
                builder.Append('{');
                var firstEntry = true;
                foreach (var entry in ValueCollections.Entries(value))
                {
                    builder.Append(firstEntry ? "" : ", ").Append(entry.Key).Append('=');
                    firstEntry = false;
                    Append(builder, entry.Value, depth + 1, maxLength);
                }

                builder.Append('}');
                break;
            case MapEntry entry:
                builder.Append(entry.Key).Append('=');
                Append(builder, entry.Value, depth + 1, maxLength);
                break;
            case DoNotEvalValue wrapped:
                Append(builder, wrapped.Value, depth, maxLength);
                break;
            case RootView root:
                Append(builder, root.ToMap(), depth, maxLength);
                break;
            case string or bool or int or long or double or float or null:
                builder.Append(ToJavaString(value, maxLength));
                break;
            default:
                builder.Append(value.ToString());
                break;
        }
    }

    /// <summary>Java's <c>Double.toString</c> / <c>Float.toString</c>.</summary>
    public static string FormatDouble(double value, bool single = false)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var magnitude = Math.Abs(value);
        var text = single ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
        if (magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e7))
        {
            if (text.Contains('E', StringComparison.Ordinal))
            {
                text = value.ToString("0.0###############", CultureInfo.InvariantCulture);
            }

            return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
        }

        var scientific = value.ToString(single ? "0.0######E0" : "0.0###############E0", CultureInfo.InvariantCulture);
        return scientific;
    }
}
