using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mizzen.Core.Json;

/// <summary>The one set of JSON options Mizzen uses on the wire and in the store: Spinnaker's camelCase names.</summary>
public static class MizzenJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>Source-generated metadata bound to Mizzen's options (relaxed escaping: <c>+</c>, <c>'</c>, <c>&lt;</c> stay readable).</summary>
    public static MizzenJsonContext Context { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    });

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(MizzenJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.MakeReadOnly();
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"expected a {typeof(T).Name}, got null");

    /// <summary>A JSON object as Spinnaker reads one (a repeated key takes its last value); see <see cref="JsonInput"/> for the warnings.</summary>
    /// <exception cref="Errors.ValidationException">Not JSON, or not an object: the problem names the line and column.</exception>
    public static JsonObject ParseObject(string json) => JsonInput.ParseObject(json).Root;

    /// <summary>Reads a string, number or boolean node as text; null for anything else.</summary>
    public static string? AsString(this JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    public static bool? AsBool(this JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => bool.TryParse(v.GetValue<string>(), out var b) ? b : null,
        _ => null,
    };

    public static long? AsLong(this JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => ReadNumber(v) is { } d ? (long)d : null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => long.TryParse(v.GetValue<string>(), out var l) ? l : null,
        _ => null,
    };

    public static double? AsDouble(this JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => ReadNumber(v),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => double.TryParse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null,
        _ => null,
    };

    /// <summary>Numbers parsed from JSON and numbers built in code (int, long, double, decimal ...) alike.</summary>
    private static double? ReadNumber(JsonValue value) =>
        value.TryGetValue<long>(out var l) ? l
        : value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<double>(out var d) ? d
        : value.TryGetValue<decimal>(out var m) ? (double)m
        : value.TryGetValue<float>(out var f) ? f
        : value.TryGetValue<short>(out var s) ? s
        : value.TryGetValue<uint>(out var u) ? u
        : value.TryGetValue<ulong>(out var ul) ? ul
        : null;
}
