using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mizzen.Providers.Kubernetes.Manifests;

/// <summary>
/// Manifests from YAML or JSON text: every document of a multi-document file (<c>---</c>), <c>kind: List</c> flattened into its items,
/// empty documents skipped. Plain scalars get YAML 1.2's core types (ints, floats, booleans, null); quoted ones stay strings, so
/// <c>"1.0"</c> and <c>"true"</c> survive as Kubernetes expects.
/// </summary>
public static class ManifestYaml
{
    /// <summary>The manifests in <paramref name="text"/>; a syntax error is a <see cref="ValidationException"/> at <paramref name="source"/> naming line and column.</summary>
    public static IReadOnlyList<JsonObject> Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ValidationException(source, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }

        var manifests = new List<JsonObject>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            switch (Convert(stream.Documents[i].RootNode))
            {
                case null:
                    break;
                case JsonObject obj:
                    manifests.AddRange(Flatten(obj));
                    break;
                default:
                    throw new ValidationException(source, $"document {i + 1} is not a Kubernetes object (a map with apiVersion and kind)");
            }
        }

        return manifests;
    }

    /// <summary>A <c>kind: List</c> (or <c>*List</c> with <c>items</c>) becomes its items; anything else is itself.</summary>
    public static IEnumerable<JsonObject> Flatten(JsonObject manifest) =>
        manifest["kind"]?.GetValue<string>() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && manifest["items"] is JsonArray items
            ? items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()).SelectMany(Flatten)
            : [manifest];

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            obj[((YamlScalarNode)key).Value ?? ""] = Convert(value);
        }

        return obj;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when IsFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }

    private static bool IsFloat(string text) =>
        text.Length > 0 && (char.IsDigit(text[0]) || text[0] is '-' or '+' or '.') && text.Any(char.IsDigit) && text.All(c => char.IsDigit(c) || c is '.' or 'e' or 'E' or '-' or '+');
}
