using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mizzen.Canary.Reports;

/// <summary>The report's JSON for the API: camelCase, and NaN or infinite numbers written as null.</summary>
public static class CanaryReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new FiniteOrNullConverter() },
        WriteIndented = true,
    };

    public static JsonObject ToJson(CanaryReport report) => (JsonObject)JsonSerializer.SerializeToNode(report, Options)!;

    public static string Serialize(CanaryReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads a report written by <see cref="ToJson"/> back (null numbers become NaN), for example one the API served.</summary>
    /// <exception cref="JsonException">The JSON is not a report.</exception>
    public static CanaryReport FromJson(JsonNode json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json.Deserialize<CanaryReport>(Options) ?? throw new JsonException("the report is null");
    }

    private sealed class FiniteOrNullConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
