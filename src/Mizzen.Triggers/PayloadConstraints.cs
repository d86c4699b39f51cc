using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Triggers;

/// <summary>
/// Spinnaker's <c>payloadConstraints</c> / <c>attributeConstraints</c> (echo's <c>ArtifactMatcher.isConstraintInPayload</c>): every
/// key must be present in the payload with a non-null value, and a constraint with a value is a regular expression that must be found
/// in it (a partial match, as Java's <c>find()</c>; anchor with <c>^…$</c> for a whole match). A key starting with <c>$</c> is a JSON
/// path (<c>$.repository.name</c>, <c>$.commits[0].id</c>, <c>$['a.b']</c>); a value that is a list matches when any element does.
/// An invalid regular expression never matches. The JSON path subset is written here (about 40 lines) because no library in the SDK
/// evaluates JSON paths over System.Text.Json nodes.
/// </summary>
public static class PayloadConstraints
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    /// <summary>Null when every constraint holds; otherwise the first that does not, in words.</summary>
    public static string? Check(JsonNode? constraints, JsonObject payload, string field = "payloadConstraints")
    {
        if (constraints is not JsonObject map)
        {
            return null;
        }

        foreach (var (key, expected) in map)
        {
            var values = Values(Select(payload, key));
            if (values.Count == 0)
            {
                return $"{field}: '{key}' is not in the payload";
            }

            if (expected.AsString() is not { } pattern)
            {
                continue;
            }

            if (!values.Any(v => Finds(pattern, v)))
            {
                return $"{field}: '{key}' is '{Shorten(values[0])}', which does not match '{pattern}'";
            }
        }

        return null;
    }

    /// <summary>
    /// Warnings for constraints that can never hold as written: not a map, a pattern that is not a string, or not a regular expression
    /// (it then never matches, as in Spinnaker). Warnings, not errors: the pipeline still runs when started by hand.
    /// </summary>
    public static void Validate(JsonNode? constraints, string path, List<ValidationProblem> problems)
    {
        if (constraints is null)
        {
            return;
        }

        if (constraints is not JsonObject map)
        {
            problems.Add(ValidationProblem.Warning(path, "must be a map of payload field to regular expression; as written no event can satisfy it"));
            return;
        }

        foreach (var (key, pattern) in map)
        {
            if (pattern is null)
            {
                continue;
            }

            if (pattern.AsString() is not { } text)
            {
                problems.Add(ValidationProblem.Warning($"{path}.{key}", "must be a regular expression (a string) or null"));
                continue;
            }

            try
            {
                _ = new Regex(text, RegexOptions.CultureInvariant, RegexBudget);
            }
            catch (ArgumentException e)
            {
                problems.Add(ValidationProblem.Warning($"{path}.{key}", $"'{text}' is not a regular expression ({e.Message}): it never matches, so the trigger never fires"));
            }
        }
    }

    private static bool Finds(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, RegexBudget);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static List<string> Values(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Where(e => e is not null and not JsonArray).Select(e => Text(e!))],
        _ => [Text(node)],
    };

    private static string Text(JsonNode node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String
        ? value.GetValue<string>()
        : node.ToJsonString(MizzenJson.Options);

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";

    /// <summary>A top-level key, or a JSON path: <c>$</c>, then <c>.name</c>, <c>['name']</c> or <c>[index]</c> steps.</summary>
    public static JsonNode? Select(JsonObject payload, string key)
    {
        if (!key.StartsWith('$'))
        {
            return payload[key];
        }

        JsonNode? current = payload;
        var i = 1;
        while (i < key.Length && current is not null)
        {
            if (key[i] == '.')
            {
                var end = key.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? key.Length : end;
                current = (current as JsonObject)?[key[(i + 1)..end]];
                i = end;
            }
            else if (key[i] == '[')
            {
                var close = key.IndexOf(']', i);
                if (close < 0)
                {
                    return null;
                }

                var inside = key[(i + 1)..close].Trim();
                current = inside.Length > 1 && inside[0] is '\'' or '"'
                    ? (current as JsonObject)?[inside[1..^1]]
                    : int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && current is JsonArray list && index < list.Count
                        ? list[index]
                        : null;
                i = close + 1;
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}
