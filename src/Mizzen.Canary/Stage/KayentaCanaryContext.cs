using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;
using Mizzen.Core.Json;

namespace Mizzen.Canary.Stage;

/// <summary>
/// The <c>canaryConfig</c> block of a <c>kayentaCanary</c> stage (Orca's <c>KayentaCanaryContext</c>), read leniently:
/// Deck writes the minute fields as strings, Orca as numbers; both are accepted.
/// </summary>
public sealed record KayentaCanaryContext(
    string? ConfigId,
    string? ConfigName,
    IReadOnlyList<CanaryScopeSpec> Scopes,
    CanaryScoreThresholds Thresholds,
    CanaryRunSettings Settings,
    string? MetricsAccountName,
    string? StorageAccountName)
{
    public const string CanaryConfigKey = "canaryConfig";

    /// <summary>Reads <c>context.canaryConfig</c>; throws <see cref="CanaryConfigException"/> naming the bad field.</summary>
    public static KayentaCanaryContext Read(JsonObject stageContext)
    {
        ArgumentNullException.ThrowIfNull(stageContext);
        if (stageContext[CanaryConfigKey] is not JsonObject c)
        {
            throw Invalid(CanaryConfigKey, "a kayentaCanary stage needs a 'canaryConfig' object");
        }

        var scopes = (c["scopes"] as JsonArray ?? []).Select((s, i) => CanaryScopeSpec.Read(s as JsonObject ?? [], $"canaryConfig.scopes[{i}]")).ToList();
        var first = scopes.FirstOrDefault();
        var settings = new CanaryRunSettings
        {
            StartTime = first?.StartTime,
            EndTime = first?.EndTime,
            LifetimeDuration = Lifetime(c),
            BeginCanaryAnalysisAfterMins = Minutes(c, "beginCanaryAnalysisAfterMins") ?? 0,
            CanaryAnalysisIntervalMins = Minutes(c, "canaryAnalysisIntervalMins"),
            LookbackMins = Minutes(c, "lookbackMins") ?? 0,
            BaselineAnalysisOffsetInMins = Minutes(c, "baselineAnalysisOffsetInMins") ?? 0,
            StepSeconds = first?.StepSeconds ?? 60,
        };
        return new KayentaCanaryContext(
            Text(c["canaryConfigId"]),
            Text(c["canaryConfigName"]),
            scopes,
            ReadThresholds(c["scoreThresholds"] as JsonObject),
            settings,
            Text(c["metricsAccountName"]),
            Text(c["storageAccountName"]));
    }

    private static CanaryScoreThresholds ReadThresholds(JsonObject? t)
    {
        var pass = t?["pass"].AsDouble();
        var marginal = t?["marginal"].AsDouble();
        return pass is null && marginal is null
            ? CanaryScoreThresholds.OrcaDefault
            : new CanaryScoreThresholds(pass ?? CanaryScoreThresholds.OrcaDefault.Pass, marginal ?? CanaryScoreThresholds.OrcaDefault.Marginal);
    }

    private static TimeSpan? Lifetime(JsonObject c)
    {
        if (Text(c["lifetimeDuration"]) is { } iso)
        {
            try
            {
                return XmlConvert.ToTimeSpan(iso);
            }
            catch (FormatException)
            {
                throw Invalid("canaryConfig.lifetimeDuration", $"'{iso}' is not an ISO-8601 duration such as PT1H or PT30M");
            }
        }

        return c["lifetimeHours"].AsDouble() is { } hours ? TimeSpan.FromHours(hours) : null;
    }

    private static int? Minutes(JsonObject c, string field)
    {
        var node = c[field];
        if (node is null || Text(node) is null)
        {
            return null;
        }

        return node.AsDouble() is { } d && d >= 0 && double.IsFinite(d)
            ? (int)d
            : throw Invalid($"canaryConfig.{field}", $"must be a whole number of minutes, got '{Text(node)}'");
    }

    internal static string? Text(JsonNode? node) => node.AsString() is { Length: > 0 } s ? s : null;

    internal static DateTimeOffset? Time(JsonNode? node, string path)
    {
        if (Text(node) is not { } text)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw Invalid(path, $"'{text}' is not an ISO-8601 time such as 2026-01-01T10:00:00Z");
    }

    internal static CanaryConfigException Invalid(string path, string message)
        => new($"{path}: {message}", [new CanaryConfigIssue(CanaryConfigIssueSeverity.Error, path, message)]);
}
