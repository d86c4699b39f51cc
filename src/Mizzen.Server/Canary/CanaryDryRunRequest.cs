using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Sources;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Server.Canary;

/// <summary>
/// The body of <c>POST /v2/canaries/canaryConfig/{id}/dryRun</c>, also built by the UI's dry run form: Kayenta's
/// <c>CanaryExecutionRequest</c> scopes (<c>{scopes: {NAME: {controlScope: {scope, location, start, end, step, extendedScopeParams},
/// experimentScope: {…}}}}</c>) and, optionally, <c>thresholds: {pass, marginal}</c> — given, the judge's verdict on the window comes too.
/// Every problem is reported at once, each naming its field, so a form can show each next to its input.
/// </summary>
public sealed record CanaryDryRunRequest(IReadOnlyDictionary<string, MetricScopePair> Scopes, CanaryScoreThresholds? Thresholds)
{
    /// <summary>The most points one side may ask for: Prometheus refuses more than 11,000 per series, and the judge pads short series to the window.</summary>
    public const int MaxPoints = 11_000;

    /// <summary>Reads and checks <paramref name="request"/>; a <see cref="ValidationException"/> lists every problem (nothing is run).</summary>
    public static CanaryDryRunRequest Parse(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<ValidationProblem>();
        var scopes = new Dictionary<string, MetricScopePair>(StringComparer.Ordinal);
        if (request["scopes"] is not JsonObject { Count: > 0 } scopeNodes)
        {
            problems.Add(new("scopes", "required: {\"default\": {\"controlScope\": {...}, \"experimentScope\": {...}}}"));
        }
        else
        {
            foreach (var (name, node) in scopeNodes)
            {
                if (node is not JsonObject pair)
                {
                    problems.Add(new($"scopes.{name}", "must be an object {controlScope, experimentScope}"));
                    continue;
                }

                var control = Scope(pair["controlScope"], $"scopes.{name}.controlScope", problems);
                var experiment = Scope(pair["experimentScope"], $"scopes.{name}.experimentScope", problems);
                if (control is not null && experiment is not null)
                {
                    scopes[name] = new MetricScopePair(control, experiment);
                }
            }
        }

        var thresholds = ReadThresholds(request["thresholds"], problems);
        return problems.Count > 0 ? throw new ValidationException(problems) : new CanaryDryRunRequest(scopes, thresholds);
    }

    private static MetricScope? Scope(JsonNode? node, string path, List<ValidationProblem> problems)
    {
        if (node is not JsonObject json)
        {
            problems.Add(new(path, "required: an object {scope, location, start, end, step}"));
            return null;
        }

        var before = problems.Count;
        var scope = json["scope"].AsString();
        if (string.IsNullOrWhiteSpace(scope))
        {
            problems.Add(new($"{path}.scope", "required: the server group (or scope name) to query"));
        }

        var start = Time(json["start"], $"{path}.start", problems);
        var end = Time(json["end"], $"{path}.end", problems);
        if (start is { } s && end is { } e && e <= s)
        {
            problems.Add(new($"{path}.end", $"must be after start ({Iso(s)})"));
        }

        var step = json["step"] is null ? 60 : json["step"].AsLong();
        if (step is not > 0)
        {
            problems.Add(new($"{path}.step", $"must be a whole number of seconds greater than 0, not {json["step"]?.ToJsonString()}"));
        }
        else if (start is { } from && end is { } to && (to - from).TotalSeconds / step.Value > MaxPoints)
        {
            problems.Add(new($"{path}.step", $"gives {(long)((to - from).TotalSeconds / step.Value)} points from start to end; at most {MaxPoints} (Prometheus' own limit): use a longer step or a shorter window"));
        }

        if (json["extendedScopeParams"] is not null and not JsonObject)
        {
            problems.Add(new($"{path}.extendedScopeParams", "must be an object of name to value"));
        }

        return problems.Count > before ? null : new MetricScope(
            scope!,
            json["location"].AsString(),
            start!.Value,
            end!.Value,
            (int)Math.Min(step!.Value, int.MaxValue),
            (json["extendedScopeParams"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value.AsString() ?? string.Empty, StringComparer.Ordinal));
    }

    private static CanaryScoreThresholds? ReadThresholds(JsonNode? node, List<ValidationProblem> problems)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject json)
        {
            problems.Add(new("thresholds", "must be an object {pass, marginal}"));
            return null;
        }

        var pass = Score(json["pass"], "thresholds.pass", problems);
        var marginal = Score(json["marginal"], "thresholds.marginal", problems);
        if (pass is { } p && marginal is { } m && m > p)
        {
            problems.Add(new("thresholds.marginal", $"must not be above pass ({p.ToString(CultureInfo.InvariantCulture)})"));
            return null;
        }

        return pass is { } ok && marginal is { } okMarginal ? new CanaryScoreThresholds(ok, okMarginal) : null;
    }

    private static double? Score(JsonNode? node, string path, List<ValidationProblem> problems)
    {
        if (node.AsDouble() is { } value && value is >= 0 and <= 100)
        {
            return value;
        }

        problems.Add(new(path, "required: a score from 0 to 100"));
        return null;
    }

    private static DateTimeOffset? Time(JsonNode? node, string path, List<ValidationProblem> problems)
    {
        if (DateTimeOffset.TryParse(node.AsString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            return t;
        }

        problems.Add(new(path, "required: an ISO-8601 time such as 2026-01-01T10:00:00Z"));
        return null;
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
