using Mizzen.Canary.Judge;

namespace Mizzen.Canary.Configs;

/// <summary>
/// Checks a canary config and names each problem with its location. Errors are things Kayenta would fail on, or
/// silently misread (an unknown <c>direction</c> quietly becomes <c>either</c> in Kayenta; here it is an error).
/// Warnings are legal in Kayenta but probably unintended (a group whose weight is 0 by construction).
/// </summary>
public static class CanaryConfigValidator
{
    public const string SupportedJudge = "NetflixACAJudge-v1.0";

    public static IReadOnlyList<CanaryConfigIssue> Validate(CanaryConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var issues = new List<CanaryConfigIssue>();
        if (string.IsNullOrWhiteSpace(config.Name))
        {
            issues.Add(Warning("name", "is missing; a config needs a name to be saved"));
        }

        if (config.Judge?.Name is { Length: > 0 } judge && judge != SupportedJudge)
        {
            issues.Add(Warning("judge.name", $"'{judge}' is not an available judge; runs use {SupportedJudge}"));
        }

        ValidateApplications(config, issues);
        if (config.Metrics is null || config.Metrics.Count == 0)
        {
            issues.Add(Error("metrics", "a canary config needs at least one metric"));
        }

        // A null entry (metrics: [null], groups: [null]) is named here; the checks below only see what is really there.
        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < (config.Metrics?.Count ?? 0); i++)
        {
            if (config.Metrics![i] is null)
            {
                issues.Add(Error($"metrics[{i}]", "must be a metric object, not null"));
                continue;
            }

            ValidateMetric(config, i, firstByName, issues);
        }

        ValidateClassifier(config, issues);
        return issues;
    }

    /// <summary>Throws <see cref="CanaryConfigException"/> when there are errors; returns the warnings otherwise.</summary>
    public static IReadOnlyList<CanaryConfigIssue> ThrowIfInvalid(CanaryConfig config)
    {
        var issues = Validate(config);
        var errors = issues.Where(i => i.Severity == CanaryConfigIssueSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var name = string.IsNullOrEmpty(config.Name) ? "(unnamed)" : $"'{config.Name}'";
            throw new CanaryConfigException($"Canary config {name} is invalid: {string.Join("; ", errors)}", issues);
        }

        return issues;
    }

    private static void ValidateApplications(CanaryConfig config, List<CanaryConfigIssue> issues)
    {
        for (var i = 0; i < (config.Applications?.Count ?? 0); i++)
        {
            var name = config.Applications![i];
            if (!Core.Model.Application.IsValidName(name))
            {
                issues.Add(Error($"applications[{i}]", $"'{name}' is not an application name: use letters, digits, '-', '_' or '.'"));
            }
        }
    }

    private static void ValidateMetric(CanaryConfig config, int index, Dictionary<string, int> firstByName, List<CanaryConfigIssue> issues)
    {
        var metric = config.Metrics[index];
        var at = $"metrics[{index}]";
        if (string.IsNullOrWhiteSpace(metric.Name))
        {
            issues.Add(Error($"{at}.name", "is required: results are matched to metrics by name"));
        }
        else if (firstByName.TryGetValue(metric.Name, out var first))
        {
            issues.Add(Error($"{at}.name", $"duplicated metric name '{metric.Name}' (first defined at metrics[{first}].name); metric names must be unique"));
        }
        else
        {
            firstByName[metric.Name] = index;
        }

        if (metric.Query is null)
        {
            issues.Add(Warning($"{at}.query", "is missing: the metric can be judged from supplied data but not fetched"));
        }
        else if (metric.Query.GetString("customFilterTemplate") is { Length: > 0 } template
            && metric.Query.GetString("customInlineTemplate") is null
            && config.Templates?.ContainsKey(template) != true)
        {
            issues.Add(Error($"{at}.query.customFilterTemplate", $"names template '{template}', which is not defined in templates"));
        }

        for (var g = 0; g < (metric.Groups?.Count ?? 0); g++)
        {
            if (string.IsNullOrWhiteSpace(metric.Groups![g]))
            {
                issues.Add(Error($"{at}.groups[{g}]", "must be a group name, not empty or null"));
            }
        }

        if (metric.Groups is not { Count: > 0 })
        {
            issues.Add(Warning($"{at}.groups", "is empty: the metric is classified but never counts in the score"));
        }

        ValidateAnalysis(metric.AnalysisConfigurations?.Canary, $"{at}.analysisConfigurations.canary", issues);
    }

    private static void ValidateAnalysis(CanaryAnalysisConfig? canary, string at, List<CanaryConfigIssue> issues)
    {
        if (canary is null)
        {
            return;
        }

        if (CanaryAnalysisSettingsResolver.ParseDirection(canary.Direction) is null)
        {
            issues.Add(Error($"{at}.direction", $"unknown direction '{canary.Direction}'; use increase, decrease or either"));
        }

        if (CanaryAnalysisSettingsResolver.ParseNanStrategy(canary.NanStrategy) is null)
        {
            issues.Add(Error($"{at}.nanStrategy", $"unknown nanStrategy '{canary.NanStrategy}'; use remove or replace"));
        }

        if (CanaryAnalysisSettingsResolver.ParseOutlierStrategy(canary.Outliers?.Strategy) is null)
        {
            issues.Add(Error($"{at}.outliers.strategy", $"unknown outlier strategy '{canary.Outliers?.Strategy}'; use remove or keep"));
        }

        if (canary.Outliers?.OutlierFactor is <= 0)
        {
            issues.Add(Error($"{at}.outliers.outlierFactor", "must be greater than 0"));
        }

        var effect = canary.EffectSize;
        if (CanaryAnalysisSettingsResolver.ParseMeasure(effect?.Measure) is null)
        {
            issues.Add(Error($"{at}.effectSize.measure", $"unknown effect size measure '{effect?.Measure}'; use meanRatio or cles"));
        }

        foreach (var (name, value) in new[] { ("allowedIncrease", effect?.AllowedIncrease), ("allowedDecrease", effect?.AllowedDecrease), ("criticalIncrease", effect?.CriticalIncrease), ("criticalDecrease", effect?.CriticalDecrease) })
        {
            if (value is < 0)
            {
                issues.Add(Error($"{at}.effectSize.{name}", "must not be negative"));
            }
        }

        if (canary.MustHaveData == true && canary.Critical == true)
        {
            issues.Add(Warning($"{at}.mustHaveData", "has no effect on a critical metric: missing data is already Nodata (critical), which fails the run"));
        }
    }

    private static void ValidateClassifier(CanaryConfig config, List<CanaryConfigIssue> issues)
    {
        var weights = config.Classifier?.GroupWeights ?? [];
        var usedGroups = (config.Metrics ?? []).Where(m => m is not null && m.AnalysisConfigurations?.Canary?.Muted != true)
            .SelectMany(m => m.Groups ?? []).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (var (group, weight) in weights)
        {
            if (weight < 0 || !double.IsFinite(weight))
            {
                issues.Add(Error($"classifier.groupWeights.{group}", $"weight {weight} must be a number from 0 to 100"));
            }
            else if (!usedGroups.Contains(group, StringComparer.Ordinal))
            {
                issues.Add(Warning($"classifier.groupWeights.{group}", $"no metric is in group '{group}'; its {weight} points can never be earned"));
            }
        }

        var sum = weights.Values.Sum();
        var unweighted = usedGroups.Where(g => !weights.ContainsKey(g)).ToList();
        if (weights.Count > 0 && unweighted.Count == 0 && Math.Abs(sum - 100) > 1e-9)
        {
            issues.Add(Error("classifier.groupWeights", $"weights total {sum}, but must total 100"));
        }
        else if (weights.Count > 0 && sum > 100 + 1e-9)
        {
            issues.Add(Error("classifier.groupWeights", $"weights total {sum}, more than 100"));
        }
        else if (weights.Count > 0 && unweighted.Count > 0 && sum >= 100 - 1e-9)
        {
            foreach (var group in unweighted)
            {
                var index = config.Metrics!.FindIndex(m => m?.Groups?.Contains(group, StringComparer.Ordinal) == true);
                issues.Add(Warning($"metrics[{index}].groups", $"group '{group}' has no weight in classifier.groupWeights and the other weights already total 100, so it gets 0 and never affects the score"));
            }
        }

        if (config.Classifier?.ScoreThresholds is { Pass: { } pass, Marginal: { } marginal } && marginal > pass)
        {
            issues.Add(Error("classifier.scoreThresholds", $"marginal ({marginal}) is above pass ({pass})"));
        }
    }

    private static CanaryConfigIssue Error(string path, string message) => new(CanaryConfigIssueSeverity.Error, path, message);

    private static CanaryConfigIssue Warning(string path, string message) => new(CanaryConfigIssueSeverity.Warning, path, message);
}
