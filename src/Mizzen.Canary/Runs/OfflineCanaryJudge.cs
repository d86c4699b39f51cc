using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Reports;

namespace Mizzen.Canary.Runs;

/// <summary>
/// <c>mizzen canary judge --config CONFIG.json --control CONTROL.json --experiment EXPERIMENT.json [--thresholds PASS,MARGINAL] [-o json]</c>:
/// judges data files of the form <c>{"metricName": [values...]}</c> (null or "NaN" for gaps) without any metric store.
/// A config metric missing from both files is judged with no data (Nodata).
/// </summary>
public static class OfflineCanaryJudge
{
    public static CanaryReport Judge(string configJson, string controlJson, string experimentJson, CanaryScoreThresholds? thresholds = null)
    {
        var (config, _) = CanaryConfigJson.Load(configJson);
        var control = ReadData(controlJson, "control");
        var experiment = ReadData(experimentJson, "experiment");
        foreach (var name in control.Keys.Concat(experiment.Keys).Distinct(StringComparer.Ordinal))
        {
            if (!config.Metrics.Any(m => m.Name == name))
            {
                var message = $"the data has metric '{name}', which the config does not define (config metrics: {string.Join(", ", config.Metrics.Select(m => m.Name))})";
                throw new CanaryConfigException(message, [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, name, message)]);
            }
        }

        var pairs = config.Metrics.Select(m => new MetricSetPair(m.Name!, control.GetValueOrDefault(m.Name!) ?? [], experiment.GetValueOrDefault(m.Name!) ?? [])).ToList();
        var effective = thresholds ?? FromConfig(config) ?? CanaryScoreThresholds.OrcaDefault;
        return CanaryReportBuilder.Build(new NetflixAcaJudge().Judge(config, pairs, effective));
    }

    /// <summary>The <c>-o json</c> output: <c>{"score", "classification", "metrics": [{"name", "classification", "critical", ...}], ...}</c>.</summary>
    public static JsonObject ToJson(CanaryReport report) => CanaryReportJson.ToJson(report);

    /// <summary>The default output: a text table.</summary>
    public static string ToTable(CanaryReport report) => CanaryReportTable.Render(report);

    /// <summary>Parses <c>--thresholds PASS,MARGINAL</c>, for example <c>95,75</c>.</summary>
    public static CanaryScoreThresholds ParseThresholds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var pass)
            || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var marginal))
        {
            throw new CanaryConfigException($"--thresholds must be PASS,MARGINAL such as 95,75 (got '{text}')", [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, "--thresholds", "expected PASS,MARGINAL")]);
        }

        if (marginal > pass)
        {
            throw new CanaryConfigException($"--thresholds: marginal {marginal} is above pass {pass}", [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, "--thresholds", "marginal above pass")]);
        }

        return new CanaryScoreThresholds(pass, marginal);
    }

    private static CanaryScoreThresholds? FromConfig(CanaryConfig config)
        => config.Classifier?.ScoreThresholds is { Pass: { } pass, Marginal: { } marginal } ? new CanaryScoreThresholds(pass, marginal) : null;

    private static Dictionary<string, double[]> ReadData(string json, string side)
    {
        try
        {
            // Read as every outside JSON is: a repeated metric name takes its last values.
            var node = Core.Json.JsonInput.Parse(json).Root as JsonObject ?? throw new JsonException("expected an object of metric name to values");
            return node.ToDictionary(p => p.Key, p => (p.Value as JsonArray ?? throw new JsonException($"'{p.Key}' must be an array of numbers"))
                .Select(v => v is null ? double.NaN : v.GetValueKind() == JsonValueKind.String ? Sources.Prometheus.PrometheusResponseParser.ParseValue(v.GetValue<string>()) : v.GetValue<double>())
                .ToArray(), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or Core.Errors.ValidationException)
        {
            throw new CanaryConfigException($"The {side} data is not {{\"metricName\": [values...]}}: {ex.Message}", [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, side, ex.Message)], ex);
        }
    }
}
