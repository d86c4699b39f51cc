using System.Text;
using Mizzen.Expressions.Evaluation;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.net.URLEncoder.encode(text[, "UTF-8"])</c>: form encoding, space as <c>+</c>.</summary>
internal sealed class UrlEncoderType : AllowedType
{
    public override string JavaName => "java.net.URLEncoder";

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = name == "encode" && args.Length is 1 or 2 ? Encode(Text(args, 0, name)) : null;
        return result is not null;
    }

    public static string Encode(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_')
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
