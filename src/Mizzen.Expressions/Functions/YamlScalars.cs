using System.Globalization;
using Mizzen.Expressions.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mizzen.Expressions.Functions;

/// <summary>YAML 1.1 plain scalars as SnakeYAML reads them: null, booleans, integers, floats; quoted and block scalars stay text.</summary>
internal static class YamlScalars
{
    public static object? Convert(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return text;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValues.True;
            case "false" or "False" or "FALSE":
                return JsonValues.False;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        if (text.Any(char.IsAsciiDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return text;
    }
}
