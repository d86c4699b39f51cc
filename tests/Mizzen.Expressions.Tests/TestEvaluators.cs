using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Testing;

namespace Mizzen.Expressions.Tests;

/// <summary>Evaluators on a test clock, and small helpers shared by the tests.</summary>
internal static class TestEvaluators
{
    public static SpelExpressionEvaluator Create(Action<ExpressionOptions>? configure = null, TimeProvider? clock = null)
    {
        var options = new ExpressionOptions();
        configure?.Invoke(options);
        return new SpelExpressionEvaluator(options, clock ?? TestTime.Clock());
    }

    public static JsonNode? Process(this SpelExpressionEvaluator evaluator, string text, JsonObject root, bool allowUnknownKeys = true) =>
        evaluator.Process(JsonValue.Create(text), new ExpressionScope(Root: root) { AllowUnknownKeys = allowUnknownKeys }).Value;

    public static PipelineExecution ReadExecution(JsonNode json) => json.Deserialize<PipelineExecution>(MizzenJson.Options)!;

    /// <summary>JSON equality where numbers compare by value (17 equals 17.0, a float 7.5 equals 7.5).</summary>
    public static bool Equivalent(JsonNode? expected, JsonNode? actual)
    {
        switch (expected)
        {
            case null:
                return actual is null || actual.GetValueKind() == JsonValueKind.Null;
            case JsonObject e when actual is JsonObject a:
                return e.Count == a.Count && e.All(p => a.TryGetPropertyValue(p.Key, out var v) && Equivalent(p.Value, v));
            case JsonArray e when actual is JsonArray a:
                return e.Count == a.Count && e.Zip(a).All(p => Equivalent(p.First, p.Second));
            case JsonValue e when actual is JsonValue a:
                if (e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number)
                {
                    return decimal.Parse(e.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
                           == decimal.Parse(a.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
                }

                return e.GetValueKind() == a.GetValueKind() && e.ToJsonString() == a.ToJsonString();
            default:
                return false;
        }
    }
}
