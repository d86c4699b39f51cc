using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// A parsed <c>labelSelector</c> as the API documents it: comma-separated requirements, each <c>k=v</c>, <c>k==v</c>,
/// <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> (exists) or <c>!k</c> (does not exist); all must hold.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> requirements = [];

    public static LabelSelector Everything { get; } = new();

    /// <summary>Parses a selector; a malformed one throws <see cref="FormatException"/> naming the requirement.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                throw new FormatException($"unable to parse requirement: empty requirement in \"{text}\"");
            }

            selector.requirements.Add(ParseRequirement(part, text));
        }

        return selector;
    }

    /// <summary>A selector's <c>matchLabels</c>/<c>matchExpressions</c> object (as in a Deployment's <c>spec.selector</c>).</summary>
    public static LabelSelector FromObject(JsonObject? selectorObject)
    {
        var selector = new LabelSelector();
        if (selectorObject is null)
        {
            return selector;
        }

        if (selectorObject["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                var expected = value?.GetValue<string>();
                selector.requirements.Add(labels => Label(labels, key) == expected);
            }
        }

        if (selectorObject["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = expression["key"]?.GetValue<string>() ?? "";
                var values = (expression["values"] as JsonArray)?.Select(v => v?.GetValue<string>()).ToHashSet() ?? [];
                var op = expression["operator"]?.GetValue<string>();
                selector.requirements.Add(op switch
                {
                    "In" => labels => Label(labels, key) is { } v && values.Contains(v),
                    "NotIn" => labels => Label(labels, key) is not { } v || !values.Contains(v),
                    "Exists" => labels => Label(labels, key) is not null,
                    "DoesNotExist" => labels => Label(labels, key) is null,
                    _ => throw new FormatException($"\"{op}\" is not a valid label selector operator"),
                });
            }
        }

        return selector;
    }

    public bool IsEmpty => requirements.Count == 0;

    public bool Matches(JsonObject obj) => MatchesLabels(obj["metadata"]?["labels"] as JsonObject);

    public bool MatchesLabels(JsonObject? labels) => requirements.All(r => r(labels));

    private static string? Label(JsonObject? labels, string key) =>
        labels?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static Func<JsonObject?, bool> ParseRequirement(string part, string whole)
    {
        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            ValidateKey(key, whole);
            return labels => Label(labels, key) is null;
        }

        var notIn = part.IndexOf(" notin ", StringComparison.Ordinal);
        var inAt = part.IndexOf(" in ", StringComparison.Ordinal);
        if (notIn > 0 || inAt > 0)
        {
            var negate = notIn > 0;
            var at = negate ? notIn : inAt;
            var key = part[..at].Trim();
            ValidateKey(key, whole);
            var rest = part[(at + (negate ? 7 : 4))..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw new FormatException($"unable to parse requirement: found '{rest}', expected: '(' in \"{whole}\"");
            }

            var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return negate
                ? labels => Label(labels, key) is not { } v || !values.Contains(v)
                : labels => Label(labels, key) is { } v && values.Contains(v);
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = part[..at].Trim();
                ValidateKey(key, whole);
                var value = part[(at + op.Length)..].Trim();
                return op == "!="
                    ? labels => Label(labels, key) != value
                    : labels => Label(labels, key) == value;
            }
        }

        ValidateKey(part, whole);
        return labels => Label(labels, part) is not null;
    }

    private static void ValidateKey(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw new FormatException($"unable to parse requirement: invalid label key \"{key}\" in \"{whole}\"");
        }
    }

    internal static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }
}

/// <summary>
/// A parsed <c>fieldSelector</c>: comma-separated <c>path=value</c>, <c>path==value</c> or <c>path!=value</c> over
/// dotted field paths (<c>metadata.name</c>, <c>metadata.namespace</c>, <c>status.phase</c>, <c>spec.nodeName</c> …).
/// A real server accepts only the fields each kind indexes; the fake accepts any path.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Equal)> requirements = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var op = part.Contains("!=", StringComparison.Ordinal) ? "!=" : part.Contains("==", StringComparison.Ordinal) ? "==" : "=";
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
            }

            selector.requirements.Add((part[..at].Trim(), part[(at + op.Length)..].Trim(), op != "!="));
        }

        return selector;
    }

    /// <summary>The value a <c>metadata.name=x</c> requirement pins, if any (a watch of one object).</summary>
    public string? Name => requirements.FirstOrDefault(r => r.Path == "metadata.name" && r.Equal).Value;

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, value, equal) in requirements)
        {
            JsonNode? node = obj;
            foreach (var segment in path.Split('.'))
            {
                node = node is JsonObject o ? o[segment] : null;
            }

            var actual = node is JsonValue v ? v.ToString() : "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
