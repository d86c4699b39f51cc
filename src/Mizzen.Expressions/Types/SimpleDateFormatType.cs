using System.Globalization;
using System.Text;
using Mizzen.Expressions.Evaluation;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>new java.text.SimpleDateFormat(pattern)</c> with <c>format(date)</c> and <c>parse(text)</c>, in UTC.</summary>
internal sealed class SimpleDateFormatType : AllowedType
{
    public override string JavaName => "java.text.SimpleDateFormat";

    public override object? Construct(object?[] args, EvaluationState state) =>
        args.Length == 1 ? new JavaSimpleDateFormat(Text(args, 0, "SimpleDateFormat")) : throw NoConstructor(args);
}

internal sealed class JavaSimpleDateFormat(string pattern) : IJavaObject
{
    private readonly string netPattern = ToNetPattern(pattern);

    public string JavaTypeName => "java.text.SimpleDateFormat";

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("format", 1) => Format(args[0]),
            ("parse", 1) => Parse(Text(args, 0, name)),
            ("toPattern", 0) => pattern,
            _ => null,
        };
        return result is not null;
    }

    private string Format(object? value)
    {
        var instant = value switch
        {
            JavaDate date => date.Value,
            JavaInstant i => i.Value,
            long or int => new JavaDate(Convert.ToInt64(value, CultureInfo.InvariantCulture)).Value,
            _ => throw new ExpressionException("SimpleDateFormat.format needs a Date or epoch milliseconds"),
        };
        return instant.UtcDateTime.ToString(netPattern, CultureInfo.InvariantCulture);
    }

    private JavaDate Parse(string text) =>
        DateTime.TryParseExact(text, netPattern, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
            ? new JavaDate(new DateTimeOffset(parsed, TimeSpan.Zero).ToUnixTimeMilliseconds())
            : throw new ExpressionException($"ParseException: Unparseable date: \"{text}\"");

    /// <summary>Java pattern letters to .NET's: S→f, E→ddd, a→tt, quoted text kept; zone letters print UTC.</summary>
    private static string ToNetPattern(string java)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < java.Length; i++)
        {
            var c = java[i];
            var run = 1;
            while (i + run < java.Length && java[i + run] == c && char.IsAsciiLetter(c))
            {
                run++;
            }

            switch (c)
            {
                case '\'':
                    var close = java.IndexOf('\'', i + 1);
                    close = close < 0 ? java.Length - 1 : close;
                    builder.Append(java, i, close - i + 1);
                    i = close;
                    continue;
                case 'S':
                    builder.Append('f', Math.Min(run, 7));
                    break;
                case 'E':
                    builder.Append(run >= 4 ? "dddd" : "ddd");
                    break;
                case 'a':
                    builder.Append("tt");
                    break;
                case 'z' or 'Z' or 'X':
                    builder.Append(c == 'z' ? "'UTC'" : "'Z'");
                    break;
                case 'y' or 'M' or 'd' or 'H' or 'h' or 'm' or 's':
                    builder.Append(c, run);
                    break;
                case var letter when char.IsAsciiLetter(letter):
                    throw new ExpressionException($"IllegalArgumentException: pattern letter '{letter}' is not supported in '{java}'");
                default:
                    builder.Append(c is '%' or '\\' or '"' or '/' or ':' ? "\\" + c : c.ToString());
                    break;
            }

            i += run - 1;
        }

        return builder.ToString();
    }
}
