using System.Globalization;
using System.Text.Json;

namespace Mizzen.Canary.Sources.Prometheus;

/// <summary>
/// Parses a <c>/api/v1/query_range</c> matrix into <see cref="MetricSet"/>s, one per result, with tags = labels minus
/// <c>__name__</c>. Values are placed on the requested grid (start, start + step, …, end): a missing sample is NaN,
/// and <c>"NaN"</c>, <c>"+Inf"</c>, <c>"-Inf"</c> are read as doubles.
/// </summary>
public static class PrometheusResponseParser
{
    public static IReadOnlyList<MetricSet> Parse(string json, string metricName, string query, MetricScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : "unknown error";
            throw new MetricsFetchException($"Prometheus rejected the query '{query}': {error}", isTransient: false);
        }

        var points = GridSize(scope);
        var sets = new List<MetricSet>();
        foreach (var result in root.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var tags = result.GetProperty("metric").EnumerateObject().Where(p => p.Name != "__name__")
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
            var values = new double[points];
            Array.Fill(values, double.NaN);
            foreach (var sample in result.GetProperty("values").EnumerateArray())
            {
                var seconds = sample[0].GetDouble();
                var index = (int)Math.Round((seconds - scope.Start.ToUnixTimeMilliseconds() / 1000.0) / scope.StepSeconds);
                if (index >= 0 && index < points)
                {
                    values[index] = ParseValue(sample[1].GetString());
                }
            }

            sets.Add(new MetricSet(metricName, tags, scope.Start, scope.StepSeconds, values, query));
        }

        return sets;
    }

    /// <summary>Prometheus evaluates at start, start + step, … up to and including end.</summary>
    public static int GridSize(MetricScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.StepSeconds <= 0 ? 0 : (int)Math.Floor((scope.End - scope.Start).TotalSeconds / scope.StepSeconds) + 1;
    }

    public static double ParseValue(string? text) => text switch
    {
        null => double.NaN,
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
