using System.Globalization;
using Mizzen.Expressions.Values;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Mizzen.Expressions.Functions;

/// <summary>Safe YAML reading (plain maps, lists and scalars; tags never create objects), like SnakeYAML's SafeConstructor.</summary>
internal static class YamlReader
{
    public static object? ReadOne(string text)
    {
        var documents = Load(text, "#readYaml");
        return documents.Count == 0 ? null : Convert(documents[0].RootNode, 0);
    }

    public static ValueList ReadAll(string text) =>
        new(Load(text, "#readAllYaml").Select(d => Convert(d.RootNode, 0)));

    private static List<YamlDocument> Load(string text, string function)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.ToList();
        }
        catch (YamlException e)
        {
            throw new ExpressionFunctionException($"{function}(text) failed: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this (without a position) for some malformed input, e.g. an unclosed flow sequence.
            throw new ExpressionFunctionException($"{function}(text) failed: the text is not valid YAML", e);
        }
    }

    private static object? Convert(YamlNode node, int depth)
    {
        if (depth > 64)
        {
            throw new ExpressionFunctionException("YAML is nested more than 64 levels deep");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new ValueMap();
                foreach (var (key, value) in mapping.Children)
                {
                    map[key is YamlScalarNode s ? s.Value ?? "null" : key.ToString()] = Convert(value, depth + 1);
                }

                return map;
            case YamlSequenceNode sequence:
                return new ValueList(sequence.Children.Select(c => Convert(c, depth + 1)));
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
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
