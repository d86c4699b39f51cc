using Mizzen.Canary.Configs;

namespace Mizzen.Canary.Sources.Prometheus;

/// <summary>
/// Builds the PromQL for a metric and scope the way Kayenta's Prometheus source does: a <c>customInlineTemplate</c>
/// (or the named <c>customFilterTemplate</c>) expanded with the scope's variables; text starting with
/// <c>PromQL:</c> is sent as is; otherwise <c>avg(metricName{filters,labelBindings}) by (groupByFields)</c>.
/// </summary>
public static class PrometheusQueryBuilder
{
    public static string Build(CanaryConfig config, CanaryMetricConfig metric, MetricScope scope, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(scope);
        location ??= $"metrics[{config.Metrics.IndexOf(metric)}].query";
        var query = metric.Query ?? throw Problem($"{location}", $"metric '{metric.Name}' has no query");
        if (query.GetString("customFilter") is { Length: > 0 })
        {
            throw Problem($"{location}.customFilter", "customFilter is deprecated; use customInlineTemplate or customFilterTemplate");
        }

        var resourceType = query.GetString("resourceType");
        var customFilter = ExpandedFilter(config, query, scope, resourceType, location);
        if (customFilter is not null && customFilter.StartsWith("PromQL:", StringComparison.Ordinal))
        {
            return customFilter["PromQL:".Length..];
        }

        var metricName = query.GetString("metricName");
        if (string.IsNullOrEmpty(metricName))
        {
            throw Problem($"{location}.metricName", $"metric '{metric.Name}' needs a metricName (or a customInlineTemplate starting with PromQL:)");
        }

        var filters = new List<string>();
        if (customFilter is not null)
        {
            filters.AddRange(customFilter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            filters.AddRange(query.GetStringList("labelBindings"));
        }
        else
        {
            filters.AddRange(query.GetStringList("labelBindings"));
            filters.AddRange(ResourceFilters(resourceType, scope, location));
        }

        var text = filters.Count > 0 ? $"{metricName}{{{string.Join(',', filters)}}}" : metricName;
        var groupBy = query.GetStringList("groupByFields");
        return groupBy.Count > 0 ? $"avg({text}) by ({string.Join(',', groupBy)})" : $"avg({text})";
    }

    private static string? ExpandedFilter(CanaryConfig config, CanaryMetricQuery query, MetricScope scope, string? resourceType, string location)
    {
        string? template = null;
        var templateLocation = $"{location}.customInlineTemplate";
        if (query.GetString("customInlineTemplate") is { Length: > 0 } inline)
        {
            template = inline;
        }
        else if (query.GetString("customFilterTemplate") is { Length: > 0 } name)
        {
            templateLocation = $"{location}.customFilterTemplate";
            template = config.Templates?.GetValueOrDefault(name)
                ?? throw Problem(templateLocation, $"template '{name}' is not defined in the config's templates");
        }

        if (template is null)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["scope"] = scope.Scope };
        if (scope.Location is not null)
        {
            variables["location"] = scope.Location;
        }

        if (scope.Parameters.TryGetValue("project", out var project))
        {
            variables["project"] = project;
        }

        if (!string.IsNullOrEmpty(resourceType))
        {
            variables["resourceType"] = resourceType;
        }

        foreach (var (key, value) in scope.Parameters)
        {
            variables[key] = value;
        }

        return QueryTemplate.Expand(template, variables, templateLocation);
    }

    private static IEnumerable<string> ResourceFilters(string? resourceType, MetricScope scope, string location)
    {
        switch (resourceType)
        {
            case "gce_instance":
                RequireLocation(scope, resourceType, location);
                var project = scope.Parameters.TryGetValue("project", out var p) && p.Length > 0 ? $"projects/{p}/" : string.Empty;
                return [$"instance=~\"{scope.Scope}-.{{4}}\"", $"zone=~\".+/{project}zones/{scope.Location}-.{{1}}\""];
            case "aws_ec2_instance":
                RequireLocation(scope, resourceType, location);
                return [$"asg_groupName=\"{scope.Scope}\"", $"zone=~\"{scope.Location}.{{1}}\""];
            default:
                throw Problem($"{location}.resourceType",
                    $"without customInlineTemplate or customFilterTemplate the scope cannot be bound: set a template using ${{scope}}, or resourceType gce_instance or aws_ec2_instance (got '{resourceType}')");
        }
    }

    private static void RequireLocation(MetricScope scope, string resourceType, string location)
    {
        if (string.IsNullOrEmpty(scope.Location))
        {
            throw Problem($"{location}.resourceType", $"resourceType {resourceType} needs the scope's location");
        }
    }

    private static CanaryConfigException Problem(string path, string message) => new(message, [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, path, message)]);
}
