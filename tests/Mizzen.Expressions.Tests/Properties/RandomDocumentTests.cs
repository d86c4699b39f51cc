using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Tests.Properties;

/// <summary>
/// Seeded random documents inside the default bounds: every one reads back as the value it was written from, as JSON
/// and as block YAML with anchors and aliases (so the bounds never refuse ordinary documents).
/// </summary>
public sealed class RandomDocumentTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create(o => o.Url.Enabled = false);

    [Fact]
    public void Random_nested_json_within_the_bounds_reads_back_unchanged()
    {
        var random = new Random(20261203);
        for (var i = 0; i < 300; i++)
        {
            var value = new JsonObject { ["root"] = RandomValue(random, depth: 1) };
            var text = value.ToJsonString();

            ShouldReadBack("#readJson(doc)", text, value);
            ShouldReadBack("#readYaml(doc)", text, value); // JSON is YAML too
        }
    }

    [Fact]
    public void Random_block_yaml_with_anchors_and_aliases_reads_back_as_the_expanded_value()
    {
        var random = new Random(20261204);
        for (var i = 0; i < 300; i++)
        {
            var writer = new BlockYamlWriter(random);
            var value = new JsonObject();
            for (var k = random.Next(1, 6); k > 0; k--)
            {
                value[$"k{k}"] = RandomValue(random, depth: 1);
            }

            ShouldReadBack("#readYaml(doc)", writer.Write(value), value);
        }
    }

    private void ShouldReadBack(string reader, string text, JsonNode expected)
    {
        var result = evaluator.Process(JsonValue.Create("${#toJson(" + reader + ")}"), new ExpressionScope(Root: new JsonObject { ["doc"] = text }));
        if (result.Summary.HasFailures)
        {
            throw new ShouldAssertException($"{reader} refused:\n{text}\n{result.Summary.ToJson()}");
        }

        var actual = JsonNode.Parse(result.Value!.GetValue<string>());
        TestEvaluators.Equivalent(expected, actual).ShouldBeTrue($"{reader} of\n{text}\ngave {actual?.ToJsonString()}");
    }

    private static JsonNode? RandomValue(Random random, int depth)
    {
        var kind = depth >= 6 ? random.Next(4) : random.Next(7);
        switch (kind)
        {
            case 0:
                return random.Next(-1000, 100_000);
            case 1:
                return random.Next(2) == 0;
            case 2:
                return null;
            case 3:
                return RandomText(random);
            case 4:
                return new JsonArray(Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomValue(random, depth + 1)).ToArray());
            default:
                var map = new JsonObject();
                for (var i = random.Next(0, 6); i > 0; i--)
                {
                    map[RandomKey(random)] = RandomValue(random, depth + 1);
                }

                return map;
        }
    }

    private static string RandomKey(Random random) => "key" + random.Next(0, 50);

    private static string RandomText(Random random)
    {
        const string Alphabet = "abcxyzABC019 -_:#&*!'\"\\/{}[],é中\t";
        var builder = new StringBuilder();
        for (var i = random.Next(0, 20); i > 0; i--)
        {
            builder.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>Block-style YAML; some maps and lists get an anchor, and some later values are written as an alias to an equal earlier one.</summary>
    private sealed class BlockYamlWriter(Random random)
    {
        private readonly List<(string Name, JsonNode Value)> anchors = [];
        private readonly StringBuilder output = new();
        private int anchorCount;

        public string Write(JsonObject root)
        {
            foreach (var (key, value) in root)
            {
                output.Append(key).Append(':');
                WriteValue(value, 2, root, key);
            }

            return output.ToString();
        }

        /// <summary>Writes after "key:" or "-": an alias, a scalar or an empty collection on the same line, or a block below.</summary>
        private void WriteValue(JsonNode? value, int indent, JsonNode parent, object slot)
        {
            if (value is JsonObject or JsonArray && anchors.Count > 0 && random.Next(4) == 0)
            {
                var (name, anchored) = anchors[random.Next(anchors.Count)];
                Replace(parent, slot, anchored.DeepClone());
                output.Append(" *").Append(name).Append('\n');
                return;
            }

            switch (value)
            {
                case JsonObject map when map.Count > 0:
                    var mapAnchor = Anchor();
                    output.Append('\n');
                    foreach (var (key, child) in map.ToList())
                    {
                        output.Append(' ', indent).Append(key).Append(':');
                        WriteValue(child, indent + 2, map, key);
                    }

                    Remember(mapAnchor, map);
                    break;
                case JsonArray list when list.Count > 0:
                    var listAnchor = Anchor();
                    output.Append('\n');
                    for (var i = 0; i < list.Count; i++)
                    {
                        output.Append(' ', indent).Append('-');
                        WriteValue(list[i], indent + 2, list, i);
                    }

                    Remember(listAnchor, list);
                    break;
                case JsonObject:
                    output.Append(" {}\n");
                    break;
                case JsonArray:
                    output.Append(" []\n");
                    break;
                case null:
                    output.Append(" null\n");
                    break;
                default:
                    // JSON's escapes are valid in a YAML double-quoted scalar; numbers and booleans are plain scalars.
                    output.Append(' ').Append(value.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).Append('\n');
                    break;
            }
        }

        private string? Anchor()
        {
            if (random.Next(3) != 0)
            {
                return null;
            }

            var name = "a" + ++anchorCount;
            output.Append(" &").Append(name);
            return name;
        }

        private void Remember(string? name, JsonNode value)
        {
            if (name is not null)
            {
                anchors.Add((name, value.DeepClone()));
            }
        }

        private static void Replace(JsonNode parent, object slot, JsonNode value)
        {
            if (parent is JsonObject map)
            {
                map[(string)slot] = value;
            }
            else
            {
                parent.AsArray()[(int)slot] = value;
            }
        }
    }

    public void Dispose() => evaluator.Dispose();
}
