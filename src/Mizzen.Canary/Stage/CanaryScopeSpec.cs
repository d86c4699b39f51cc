using System.Text.Json.Nodes;
using Mizzen.Canary.Sources;
using Mizzen.Core.Json;

namespace Mizzen.Canary.Stage;

/// <summary>One entry of <c>canaryConfig.scopes</c>: which server groups are compared, where, and (retrospectively) when.</summary>
public sealed record CanaryScopeSpec(
    string ScopeName,
    string? ControlScope,
    string? ControlLocation,
    string? ExperimentScope,
    string? ExperimentLocation,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    int StepSeconds,
    IReadOnlyDictionary<string, string> ExtendedScopeParams)
{
    public static CanaryScopeSpec Read(JsonObject s, string path)
    {
        ArgumentNullException.ThrowIfNull(s);
        var extended = (s["extendedScopeParams"] as JsonObject ?? [])
            .Where(p => p.Value.AsString() is not null)
            .ToDictionary(p => p.Key, p => p.Value.AsString()!, StringComparer.Ordinal);
        var step = s["step"].AsDouble() is { } d and > 0 ? (int)d : 60;
        return new CanaryScopeSpec(
            KayentaCanaryContext.Text(s["scopeName"]) ?? "default",
            KayentaCanaryContext.Text(s["controlScope"]),
            KayentaCanaryContext.Text(s["controlLocation"]),
            KayentaCanaryContext.Text(s["experimentScope"]),
            KayentaCanaryContext.Text(s["experimentLocation"]),
            KayentaCanaryContext.Time(s["startTimeIso"], $"{path}.startTimeIso"),
            KayentaCanaryContext.Time(s["endTimeIso"], $"{path}.endTimeIso"),
            step,
            extended);
    }

    /// <summary>The control and experiment scopes of one interval.</summary>
    public MetricScopePair For(Runs.CanaryInterval interval)
    {
        ArgumentNullException.ThrowIfNull(interval);
        return new MetricScopePair(
            new MetricScope(ControlScope ?? string.Empty, ControlLocation, interval.ControlStart, interval.ControlEnd, StepSeconds, ExtendedScopeParams),
            new MetricScope(ExperimentScope ?? string.Empty, ExperimentLocation, interval.ExperimentStart, interval.ExperimentEnd, StepSeconds, ExtendedScopeParams));
    }
}
