using System.Text.Json.Nodes;

namespace Mizzen.Server.Tests.Fuzz;

/// <summary>
/// Malformed JSON from a valid body: one field replaced by a value of another type or a hostile one (a 1 MB string,
/// 10,000-deep nesting, control characters, lone surrogate escapes, huge numbers, invalid expressions), removed, or
/// repeated; the whole text truncated; or raw garbage. Values that JSON cannot hold are spliced in as text.
/// </summary>
internal sealed class JsonMutations(Random random)
{
    private const string Marker = "@@fuzz-mutation@@";

    private static readonly string MegabyteString = "\"" + new string('m', 1 << 20) + "\"";
    private static readonly string DeepArray = new string('[', 10_000) + new string(']', 10_000);
    private static readonly string DeepObject = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);

    /// <summary>Values as JSON text (some of them not valid JSON on purpose).</summary>
    private static readonly string[] Values =
    [
        "\"\"", "\"x\"", "\" \"", "0", "-1", "1.5", "2147483648", "-9223372036854775809", "123456789012345678901234567890",
        "1e309", "-1e309", "1e-400", "NaN", "Infinity", "true", "false", "null", "[]", "[1]", "[null]", "[\"a\",1,{}]",
        "{}", "{\"a\":1}", "{\"\":null}", "[[[[]]]]",
        "\"a\\u0000b\\u0001c\\u001f\"", "\"tab\\tnew\\nline\\r\\b\\f\"", "\"a\u0001b\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\ud83d\"",
        "\"\\ud800\\u0041\"", "\"\\u00e9\\ud83d\\ude00\"", "\"../../etc/passwd\"", "\"..\\\\..\\\\windows\"", "\"a/b\"", "\"%2e%2e%2f\"",
        "\"${\"", "\"${ parameters.x + }\"", "\"${#stag('x')}\"", "\"${trigger.paramters.x}\"", "\"${#doesNotExist()}\"",
        "\"${T(java.lang.Runtime).getRuntime().exec('id')}\"", "\"${#toInt('x')}\"", "\"${1/0}\"", "\"${{}}\"", "\"${ }\"",
        "\"${parameters['a'}\"", "\"${'unterminated}\"", "\"${#alphanumerical(1,2,3)}\"", "\"$${escaped}\"",
        "\"2026-13-45T99:99:99Z\"", "\"-1\"", "\"1e309\"", "\"true\"", "\"null\"",
    ];

    private static readonly string[] Garbage =
    [
        "", " ", "{", "}", "[", "]", "null", "[]", "1", "\"s\"", "true", "{\"a\":}", "{'a':1}", "{\"a\":1,,}", "{\"a\" 1}", "\uFEFF{}",
        "{\"a\":\"\\ud800\"}", "{\"a\":1e309}", "{\"a\":1}{\"b\":2}", "\u0000", "<xml/>", "a=1&b=2", "{\"__proto__\":{\"x\":1}}",
        "{\"a\":\"\\x41\"}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":tru}", "{\"a\":\"unterminated}", "/* comment */ {}", "{\"a\":1} // trailing",
        "[" + string.Join(",", Enumerable.Repeat("{}", 5000)) + "]",
    ];

    /// <summary>A malformed variant of <paramref name="sample"/>; <paramref name="what"/> says what was done (for failure messages).</summary>
    public string Mutate(JsonObject sample, out string what)
    {
        var roll = random.Next(100);
        if (roll < 10)
        {
            what = "valid sample";
            return sample.ToJsonString();
        }

        if (roll < 20)
        {
            var text = sample.ToJsonString();
            var cut = random.Next(text.Length);
            what = $"truncated at {cut}";
            return text[..cut];
        }

        if (roll < 30)
        {
            var index = random.Next(Garbage.Length);
            what = $"garbage #{index}";
            return Garbage[index];
        }

        var copy = sample.DeepClone().AsObject();
        var descriptions = new List<string>();
        var replacements = new List<string>();
        var count = roll < 40 ? 2 : 1;
        for (var i = 0; i < count; i++)
        {
            descriptions.Add(MutateOneField(copy, replacements));
        }

        what = string.Join("; ", descriptions);
        var result = copy.ToJsonString();
        for (var i = 0; i < replacements.Count; i++)
        {
            var marker = $"\"{Marker}{i}\"";
            var at = result.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                result = string.Concat(result.AsSpan(0, at), replacements[i], result.AsSpan(at + marker.Length));
            }
        }

        return result;
    }

    private string MutateOneField(JsonObject root, List<string> replacements)
    {
        var fields = new List<(JsonNode Parent, string? Key, int Index, string Path)>();
        Collect(root, "", fields);
        if (fields.Count == 0)
        {
            return "nothing to mutate";
        }

        var (parent, key, index, path) = fields[random.Next(fields.Count)];
        var op = random.Next(100);
        if (op < 10 && parent is JsonObject removeFrom && key is not null)
        {
            removeFrom.Remove(key);
            return $"{path} removed";
        }

        string text;
        string description;
        if (op < 20 && parent is JsonObject && key is not null)
        {
            // A repeated key: the first value is garbage, the second the original (or the other way round).
            var original = (parent[key]?.ToJsonString()) ?? "null";
            var other = Values[random.Next(Values.Length)];
            text = random.Next(2) == 0 ? $"{other},\"{key}\":{original}" : $"{original},\"{key}\":{other}";
            description = $"{path} repeated";
        }
        else if (op < 25)
        {
            text = MegabyteString;
            description = $"{path} = 1 MB string";
        }
        else if (op < 30)
        {
            text = random.Next(2) == 0 ? DeepArray : DeepObject;
            description = $"{path} = 10,000-deep nesting";
        }
        else if (op < 40)
        {
            var current = Get(parent, key, index);
            text = random.Next(2) == 0 ? $"[{current?.ToJsonString() ?? "null"}]" : $"{{\"value\":{current?.ToJsonString() ?? "null"}}}";
            description = $"{path} wrapped";
        }
        else
        {
            text = Values[random.Next(Values.Length)];
            description = $"{path} = {text}";
        }

        replacements.Add(text);
        Set(parent, key, index, JsonValue.Create(Marker + (replacements.Count - 1)));
        return description;
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, string?, int, string)> fields)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    var child = path.Length == 0 ? key : $"{path}.{key}";
                    if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>().StartsWith(Marker, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    fields.Add((o, key, -1, child));
                    if (value is not null)
                    {
                        Collect(value, child, fields);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    fields.Add((a, null, i, $"{path}[{i}]"));
                    if (a[i] is { } item)
                    {
                        Collect(item, $"{path}[{i}]", fields);
                    }
                }

                break;
        }
    }

    private static JsonNode? Get(JsonNode parent, string? key, int index) => key is null ? parent.AsArray()[index] : parent.AsObject()[key];

    private static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (key is null)
        {
            parent.AsArray()[index] = value;
        }
        else
        {
            parent.AsObject()[key] = value;
        }
    }
}
