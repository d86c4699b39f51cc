using System.Text.Json.Nodes;
using Mizzen.Canary.Runs;
using Mizzen.Core.Json;

namespace Mizzen.Canary.Stage;

/// <summary>
/// How the stage keeps its plan and its judged intervals in the stage context (a task must keep its progress there):
/// <c>canaryIntervals</c> (the plan, fixed when the first interval starts) and <c>intervalResults</c> (one summary per judged interval).
/// </summary>
public static class CanaryIntervalRecord
{
    public const string PlanKey = "canaryIntervals";
    public const string ResultsKey = "intervalResults";

    public static JsonArray WritePlan(CanaryIntervalPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new JsonArray(plan.Intervals.Select(i => (JsonNode)CanaryIntervalJson.Write(i)).ToArray());
    }

    public static IReadOnlyList<CanaryInterval>? ReadPlan(JsonNode? node)
        => node is not JsonArray plan
            ? null
            : plan.OfType<JsonObject>().Select(i => new CanaryInterval(
                (int)(i["number"].AsLong() ?? 0),
                Time(i["controlStartIso"]),
                Time(i["controlEndIso"]),
                Time(i["experimentStartIso"]),
                Time(i["experimentEndIso"]),
                i["notBeforeIso"].AsString() is { } n ? DateTimeOffset.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : null)).ToList();

    public static IReadOnlyList<double> Scores(JsonNode? results)
        => (results as JsonArray ?? []).OfType<JsonObject>().Select(r => r["score"].AsDouble() ?? double.NaN).ToList();

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node.AsString() ?? throw new FormatException("missing time in canaryIntervals"), System.Globalization.CultureInfo.InvariantCulture);
}
