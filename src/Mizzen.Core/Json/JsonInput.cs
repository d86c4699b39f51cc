using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Core.Json;

/// <summary>
/// Reads JSON that comes from outside (API bodies, files, the CLI) the way Spinnaker's Jackson does, with errors a
/// user can act on: a repeated key takes its last value and is reported as a warning naming the key and its line;
/// broken JSON is one <see cref="ValidationException"/> with one 1-based position, the line's text and a caret;
/// a lone surrogate escape (<c>"\ud800"</c>) or a number no double can hold (<c>1e309</c>) is such an error too,
/// never an exception from deep inside a later step.
/// </summary>
public static class JsonInput
{
    /// <summary>Deepest nesting accepted; the serializer writes no deeper than this, so nothing read can fail to be written.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = MaxDepth,
    };

    /// <summary>Parses <paramref name="text"/>; <see cref="JsonInputResult.Root"/> is null only for the literal <c>null</c>.</summary>
    /// <exception cref="ValidationException">The text is not JSON; the problem names the line and column.</exception>
    public static JsonInputResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var utf8 = Encoding.UTF8.GetBytes(text);
        var builder = new TreeBuilder(utf8);
        var root = builder.Build();
        return new JsonInputResult(root, builder.Warnings);
    }

    /// <summary>Parses a JSON object; <paramref name="what"/> names the input in the error when it is another kind of value.</summary>
    public static JsonInputResult<JsonObject> ParseObject(string text, string what = "the JSON")
    {
        var result = Parse(text);
        return result.Root is JsonObject o
            ? new JsonInputResult<JsonObject>(o, result.Warnings)
            : throw new ValidationException("", $"{what} must be a JSON object, not {Describe(result.Root)}");
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
        _ => "another kind of value",
    };

    /// <summary>Builds the tree token by token so repeated keys, bad escapes and huge numbers are seen where they are.</summary>
    private sealed class TreeBuilder(byte[] utf8)
    {
        private readonly List<ValidationProblem> warnings = [];
        private readonly List<string> path = [];

        public IReadOnlyList<ValidationProblem> Warnings => warnings;

        public JsonNode? Build()
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            try
            {
                // The reader itself refuses empty input and anything after the value.
                reader.Read();
                var root = ReadValue(ref reader);
                reader.Read();
                return root;
            }
            catch (JsonException e)
            {
                throw Error(Offset(e), Reason(e));
            }
        }

        private JsonNode? ReadValue(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader);
                case JsonTokenType.StartArray:
                    return ReadArray(ref reader);
                case JsonTokenType.String:
                    // Checked first (a bad escape is an error here, not later), then kept as parsed like JsonNode.Parse does.
                    ReadString(ref reader);
                    return JsonValue.Create(JsonElement.ParseValue(ref reader))!;
                case JsonTokenType.Number:
                    return ReadNumber(ref reader);
                case JsonTokenType.True:
                    return JsonValue.Create(true);
                case JsonTokenType.False:
                    return JsonValue.Create(false);
                case JsonTokenType.Null:
                    return null;
                default:
                    throw Error(reader.TokenStartIndex, $"unexpected {reader.TokenType}");
            }
        }

        private JsonObject ReadObject(ref Utf8JsonReader reader)
        {
            var result = new JsonObject();
            Dictionary<string, long>? firstSeen = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var keyOffset = reader.TokenStartIndex;
                var name = ReadString(ref reader);
                reader.Read();
                path.Add(name);
                var value = ReadValue(ref reader);
                path.RemoveAt(path.Count - 1);
                if (result.ContainsKey(name))
                {
                    firstSeen ??= [];
                    var (line, column) = Position(keyOffset);
                    var first = firstSeen.TryGetValue(name, out var at) ? Position(at).Line : line;
                    warnings.Add(ValidationProblem.Warning(
                        $"line {line}, column {column}",
                        $"duplicate key '{name}' at {PathWith(name)} (first on line {first}): the last value is used, as Spinnaker does"));
                    result[name] = value;
                }
                else
                {
                    (firstSeen ??= [])[name] = keyOffset;
                    result.Add(name, value);
                }
            }

            return result;
        }

        private JsonArray ReadArray(ref Utf8JsonReader reader)
        {
            var result = new JsonArray();
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                path.Add($"[{index++}]");
                result.Add(ReadValue(ref reader));
                path.RemoveAt(path.Count - 1);
            }

            return result;
        }

        private string ReadString(ref Utf8JsonReader reader)
        {
            try
            {
                return reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                throw Error(reader.TokenStartIndex, "the string holds an invalid escape or character (a lone surrogate such as \\ud800 is not text)");
            }
        }

        private JsonValue ReadNumber(ref Utf8JsonReader reader)
        {
            var offset = reader.TokenStartIndex;
            var element = JsonElement.ParseValue(ref reader);
            if (element.TryGetInt64(out _))
            {
                return JsonValue.Create(element)!;
            }

            var raw = element.GetRawText();
            if (!double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            {
                throw Error(offset, $"the number {Shorten(raw)} is too large");
            }

            // Keep the number as written (1.0 stays 1.0; a big integer keeps its digits).
            return JsonValue.Create(element)!;
        }

        private string PathWith(string name)
        {
            var text = new StringBuilder();
            foreach (var segment in path.Append(name))
            {
                if (segment.StartsWith('['))
                {
                    text.Append(segment);
                }
                else
                {
                    if (text.Length > 0)
                    {
                        text.Append('.');
                    }

                    text.Append(segment);
                }
            }

            return text.ToString();
        }

        private long Offset(JsonException e)
        {
            // The reader reports a 0-based line and a byte offset in that line; turn it back into an offset in the input.
            var line = (int)(e.LineNumber ?? 0);
            long start = 0;
            for (var i = 0; i < line && start < utf8.Length; i++)
            {
                var next = Array.IndexOf(utf8, (byte)'\n', (int)start);
                start = next < 0 ? utf8.Length : next + 1;
            }

            return Math.Min(utf8.Length, start + (e.BytePositionInLine ?? 0));
        }

        private static string Reason(JsonException e)
        {
            // "'x' is an invalid start of a value. LineNumber: 3 | BytePositionInLine: 4." → "'x' is an invalid start of a value"
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut >= 0)
            {
                message = message[..cut];
            }

            message = message.TrimEnd('.', ' ');
            return message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : "the JSON is malformed";
        }

        private (int Line, int Column) Position(long offset)
        {
            var line = 1;
            var lineStart = 0;
            for (var i = 0; i < offset && i < utf8.Length; i++)
            {
                if (utf8[i] == '\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            var column = Encoding.UTF8.GetCharCount(utf8, lineStart, (int)Math.Min(offset, utf8.Length) - lineStart) + 1;
            return (line, column);
        }

        private ValidationException Error(long offset, string reason)
        {
            var (line, column) = Position(offset);
            var lineStart = 0;
            for (var i = 0; i < offset && i < utf8.Length; i++)
            {
                if (utf8[i] == '\n')
                {
                    lineStart = i + 1;
                }
            }

            var lineEnd = Array.IndexOf(utf8, (byte)'\n', lineStart);
            var text = Encoding.UTF8.GetString(utf8, lineStart, (lineEnd < 0 ? utf8.Length : lineEnd) - lineStart).TrimEnd('\r');
            return new ValidationException($"line {line}, column {column}", $"not valid JSON: {reason}\n{Excerpt(text, line, column)}");
        }

        private static string Excerpt(string text, int line, int column)
        {
            // Long lines (minified JSON) show the 100 characters around the position.
            var from = Math.Max(0, column - 1 - 60);
            var shown = text.Length - from > 100 ? text.Substring(from, 100) : text[from..];
            var gutter = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var caret = new string(' ', Math.Max(0, column - 1 - from));
            return $"  {gutter} | {(from > 0 ? "…" : "")}{shown}\n  {new string(' ', gutter.Length)} | {(from > 0 ? " " : "")}{caret}^";
        }

        private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..37] + "…";
    }
}

/// <summary>A parsed JSON value and the warnings found on the way (repeated keys).</summary>
public sealed record JsonInputResult(JsonNode? Root, IReadOnlyList<ValidationProblem> Warnings);

/// <summary>A parsed JSON value of a known kind and the warnings found on the way (repeated keys).</summary>
public sealed record JsonInputResult<T>(T Root, IReadOnlyList<ValidationProblem> Warnings)
    where T : JsonNode;
