using System.Text.RegularExpressions;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Local.Metrics;

/// <summary>A parsed metric query: a built-in traffic metric (<c>request_rate:5xx</c>, <c>latency_p99</c> ...) or a stored series selector.</summary>
internal sealed partial record MetricSelector(string Name, IReadOnlyDictionary<string, string> Labels, bool Rate)
{
    public static MetricSelector Parse(string text)
    {
        var match = Grammar().Match(text.Trim());
        if (!match.Success)
        {
            throw new ValidationException("metric", $"'{text}' is not a metric query; write e.g. request_rate, error_rate, latency_p99, name{{label=\"v\"}} or rate(name{{label=\"v\"}})");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match pair in LabelPair().Matches(match.Groups["labels"].Value))
        {
            labels[pair.Groups[1].Value] = pair.Groups[2].Value;
        }

        return new MetricSelector(match.Groups["name"].Value, labels, match.Groups["rate"].Success);
    }

    public bool Matches(IReadOnlyDictionary<string, string> seriesLabels) =>
        Labels.All(l => seriesLabels.TryGetValue(l.Key, out var value) && value == l.Value);

    [GeneratedRegex(@"^(?:(?<rate>rate)\()?(?<name>[A-Za-z_][A-Za-z0-9_:.]*)(?:\{(?<labels>[^}]*)\})?(?(rate)\))$")]
    private static partial Regex Grammar();

    [GeneratedRegex("""([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"(?:\s*,\s*)?""")]
    private static partial Regex LabelPair();
}
