using System.Globalization;
using System.Text;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Types;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Functions.FunctionArguments;

namespace Mizzen.Expressions.Functions;

/// <summary>kork's string functions: <c>#toInt</c>, <c>#toFloat</c>, <c>#toBoolean</c>, <c>#toBase64</c>, <c>#fromBase64</c>, <c>#alphanumerical</c>, plus <c>#fetchReference</c>.</summary>
internal static class ConversionFunctions
{
    public static void Register(ExpressionFunctionRegistry registry)
    {
        registry.Add("toInt", (args, _) =>
        {
            Count(args, 1, "#toInt(text)");
            return IntegerType.Parse(args[0] is string s ? s.Trim() : args[0]);
        });
        registry.Add("toFloat", (args, _) =>
        {
            Count(args, 1, "#toFloat(text)");
            return args[0] switch
            {
                var n when Arithmetic.IsNumber(n) => (float)Arithmetic.ToDouble(n!),
                string s when float.TryParse(s.Trim().TrimEnd('f', 'F', 'd', 'D'), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => f,
                var other => throw new ExpressionFunctionException($"NumberFormatException: For input string: \"{JavaText.ToJavaString(other)}\""),
            };
        });
        registry.Add("toBoolean", (args, _) =>
        {
            Count(args, 1, "#toBoolean(text)");
            return JsonValues.Box(BooleanType.Parse(args[0]));
        });
        registry.Add("toBase64", (args, state) =>
        {
            Count(args, 1, "#toBase64(text)");
            var text = Text(args, 0, "#toBase64(text)");
            state.CheckLength((text.Length * 4L) + 3);
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        });
        registry.Add("fromBase64", (args, _) =>
        {
            Count(args, 1, "#fromBase64(text)");
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(Text(args, 0, "#fromBase64(text)")));
            }
            catch (FormatException e)
            {
                throw new ExpressionFunctionException($"#fromBase64: the text is not valid base64 ({e.Message})");
            }
        });
        registry.Add("alphanumerical", (args, _) =>
        {
            Count(args, 1, "#alphanumerical(text)");
            return string.Concat(Text(args, 0, "#alphanumerical(text)").Where(char.IsAsciiLetterOrDigit));
        });
        registry.Add("fetchReference", (args, _) =>
        {
            Count(args, 1, "#fetchReference(reference)");
            return args[0];
        });
    }
}
