using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Server.Canary;

/// <summary>
/// Kayenta's <c>CanaryExecutionRequest</c>: <c>{scopes: {NAME: {controlScope: {scope, location, start, end, step,
/// extendedScopeParams}, experimentScope: {…}}}, thresholds: {pass, marginal}}</c>. A request without <c>end</c> runs in real time
/// for <c>lifetimeDurationMins</c> (Mizzen's extension, with <c>analysisIntervalMins</c>, <c>beginAfterMins</c>, <c>lookbackMins</c>
/// as in Kayenta's standalone canary analysis).
/// </summary>
public static class CanaryExecutionRequest
{
    /// <summary>The <c>canaryConfig</c> block of a <c>kayentaCanary</c> stage that runs this request.</summary>
    public static JsonObject ToStageConfig(string configId, JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scopes = request["scopes"] as JsonObject ?? throw new ValidationException("scopes", "required: {\"default\": {\"controlScope\": {...}, \"experimentScope\": {...}}}");
        if (request["thresholds"] is not null and not JsonObject)
        {
            throw new ValidationException("thresholds", "must be an object {pass, marginal}");
        }

        var stageScopes = new JsonArray();
        double offset = 0;
        foreach (var (name, node) in scopes)
        {
            var pair = ScopePair(node, name);
            var control = pair["controlScope"] as JsonObject ?? throw new ValidationException($"scopes.{name}.controlScope", "required: an object {scope, location, start, end}");
            var experiment = pair["experimentScope"] as JsonObject ?? throw new ValidationException($"scopes.{name}.experimentScope", "required: an object {scope, location, start, end}");
            offset = Math.Max(offset, OffsetMinutes(control, experiment));
            stageScopes.Add(new JsonObject
            {
                ["scopeName"] = name,
                ["controlScope"] = control["scope"]?.DeepClone(),
                ["controlLocation"] = control["location"]?.DeepClone(),
                ["experimentScope"] = experiment["scope"]?.DeepClone(),
                ["experimentLocation"] = experiment["location"]?.DeepClone(),
                ["startTimeIso"] = (experiment["start"] ?? experiment["startTimeIso"])?.DeepClone(),
                ["endTimeIso"] = (experiment["end"] ?? experiment["endTimeIso"])?.DeepClone(),
                ["step"] = experiment["step"]?.DeepClone() ?? 60,
                ["extendedScopeParams"] = experiment["extendedScopeParams"]?.DeepClone() ?? new JsonObject(),
            });
        }

        var stage = new JsonObject
        {
            ["canaryConfigId"] = configId,
            ["scopes"] = stageScopes,
            ["scoreThresholds"] = request["thresholds"]?.DeepClone() ?? new JsonObject { ["pass"] = 75, ["marginal"] = 50 },
            ["baselineAnalysisOffsetInMins"] = (int)offset,
        };
        Copy(request, "lifetimeDurationMins", stage, "lifetimeDuration", m => $"PT{m}M");
        Copy(request, "analysisIntervalMins", stage, "canaryAnalysisIntervalMins", null);
        Copy(request, "beginAfterMins", stage, "beginCanaryAnalysisAfterMins", null);
        Copy(request, "lookbackMins", stage, "lookbackMins", null);
        return stage;
    }

    private static JsonObject ScopePair(JsonNode? node, string name)
        => node as JsonObject ?? throw new ValidationException($"scopes.{name}", "must be an object {controlScope, experimentScope}");

    private static double OffsetMinutes(JsonObject control, JsonObject experiment)
        => DateTimeOffset.TryParse(control["start"].AsString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c)
           && DateTimeOffset.TryParse(experiment["start"].AsString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)
            ? Math.Max(0, (e - c).TotalMinutes)
            : 0;

    private static void Copy(JsonObject from, string key, JsonObject to, string target, Func<long, string>? format)
    {
        if (from[key].AsLong() is { } value)
        {
            to[target] = format is null ? value : format(value);
        }
    }
}
