using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Persistence.Executions;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// Binds a new run's expected artifacts before it is stored (Orca's <c>ArtifactUtils.resolveArtifacts</c>). The trigger names the
/// pipeline's <c>expectedArtifacts</c> it must satisfy in <c>expectedArtifactIds</c> (an automatic trigger copies its own list; a manual
/// run lists what it wants bound). Each is bound, in order, to: the one trigger artifact that matches it; with <c>usePriorArtifact</c>,
/// the one matching artifact of the pipeline's last successful run; with <c>useDefaultArtifact</c>, its <c>defaultArtifact</c>.
/// Nothing matching, or two artifacts matching where one was expected, stops the run from starting with a message naming the expected
/// artifact, so no run starts with an artifact it cannot bind. The trigger then carries <c>artifacts</c> (received plus bound, without
/// duplicates), and <c>expectedArtifacts</c> / <c>resolvedExpectedArtifacts</c>: the expected artifacts with their <c>boundArtifact</c>.
/// </summary>
public sealed class ExpectedArtifactResolver(IExecutionStore executions)
{
    public async Task ResolveAsync(PipelineConfig config, JsonObject trigger, CancellationToken cancellationToken)
    {
        var wanted = (trigger["expectedArtifactIds"] as JsonArray ?? []).Select(id => id.AsString()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var received = Distinct((trigger["artifacts"] as JsonArray ?? []).OfType<JsonObject>());
        var declared = config.Json["expectedArtifacts"] as JsonArray ?? [];
        if (wanted.Count == 0)
        {
            if (trigger["artifacts"] is not null)
            {
                trigger["artifacts"] = ToArray(received);
            }

            return;
        }

        List<JsonObject>? prior = null;
        var resolved = new List<JsonObject>();
        var bound = new List<JsonObject>();
        var problems = new List<ValidationProblem>();
        for (var i = 0; i < declared.Count; i++)
        {
            if (declared[i] is not JsonObject expected || expected["id"].AsString() is not { } id || !wanted.Remove(id))
            {
                continue;
            }

            var location = $"expectedArtifacts[{i}]";
            var match = expected["matchArtifact"] as JsonObject ?? [];
            var artifact = Single(expected, match, received, "the trigger's artifacts", location, problems);
            if (artifact is null && expected["usePriorArtifact"].AsBool() == true)
            {
                prior ??= await PriorArtifactsAsync(config, cancellationToken);
                artifact = Single(expected, match, prior, "the artifacts of the pipeline's last successful run", location, problems);
            }

            if (artifact is null && expected["useDefaultArtifact"].AsBool() == true && expected["defaultArtifact"] is JsonObject fallback)
            {
                artifact = fallback;
            }

            if (artifact is null)
            {
                if (problems.Count == 0 || problems[^1].Location != location)
                {
                    problems.Add(new ValidationProblem(location, $"Unmatched expected artifact {Describe(expected)} could not be resolved: {WhatWasTried(expected, match)}."));
                }

                continue;
            }

            var boundArtifact = (JsonObject)artifact.DeepClone();
            if (string.IsNullOrEmpty(boundArtifact["artifactAccount"].AsString()) && match["artifactAccount"].AsString() is { Length: > 0 } account)
            {
                boundArtifact["artifactAccount"] = account;
            }

            var result = (JsonObject)expected.DeepClone();
            result["boundArtifact"] = boundArtifact;
            resolved.Add(result);
            bound.Add(boundArtifact);
        }

        foreach (var unknown in wanted)
        {
            problems.Add(new ValidationProblem("trigger.expectedArtifactIds", $"the trigger expects artifact '{unknown}', which is not one of the pipeline's expectedArtifacts"));
        }

        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }

        trigger["artifacts"] = ToArray(Distinct(received.Concat(bound)));
        trigger["expectedArtifacts"] = ToArray(resolved);
        trigger["resolvedExpectedArtifacts"] = ToArray(resolved.Select(r => (JsonObject)r.DeepClone()));
    }

    /// <summary>Every artifact of the pipeline's last successful run: its trigger's, then each stage's output <c>artifacts</c>.</summary>
    private async Task<List<JsonObject>> PriorArtifactsAsync(PipelineConfig config, CancellationToken cancellationToken)
    {
        if (config.Id is not { } configId)
        {
            return [];
        }

        var last = await executions.ListAsync(new ExecutionQuery
        {
            PipelineConfigIds = [configId],
            Statuses = [ExecutionStatus.Succeeded],
            Type = ExecutionType.Pipeline,
            Limit = 1,
        }, cancellationToken);
        if (last.Count == 0)
        {
            return [];
        }

        return ExecutionArtifacts.Of(last[0]);
    }

    private static JsonObject? Single(JsonObject expected, JsonObject match, List<JsonObject> candidates, string where, string location, List<ValidationProblem> problems)
    {
        JsonObject? found = null;
        foreach (var candidate in candidates)
        {
            if (!ArtifactMatching.Matches(match, candidate))
            {
                continue;
            }

            if (found is not null)
            {
                problems.Add(new ValidationProblem(location, $"Expected artifact {Describe(expected)} matches more than one of {where} ({Short(found)} and {Short(candidate)}): make its matchArtifact narrower."));
                return null;
            }

            found = candidate;
        }

        return found;
    }

    private static List<JsonObject> Distinct(IEnumerable<JsonObject> artifacts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<JsonObject>();
        foreach (var artifact in artifacts)
        {
            if (seen.Add(artifact.ToJsonString()))
            {
                result.Add(artifact);
            }
        }

        return result;
    }

    private static JsonArray ToArray(IEnumerable<JsonObject> artifacts) => [.. artifacts.Select(a => (JsonNode)a.DeepClone())];

    private static string Describe(JsonObject expected) =>
        expected["displayName"].AsString() is { Length: > 0 } name ? $"'{name}' ({expected["id"].AsString()})" : $"'{expected["id"].AsString()}'";

    private static string WhatWasTried(JsonObject expected, JsonObject match)
    {
        var tried = new List<string> { $"no artifact of the trigger matches {Short(match)}" };
        if (expected["usePriorArtifact"].AsBool() == true)
        {
            tried.Add("nor of the last successful run");
        }

        tried.Add(expected["useDefaultArtifact"].AsBool() == true ? "and its defaultArtifact is missing" : "and it has no default (useDefaultArtifact)");
        return string.Join(", ", tried);
    }

    private static string Short(JsonObject artifact)
    {
        var parts = new[] { "type", "name", "version", "reference" }
            .Where(f => !string.IsNullOrEmpty(artifact[f].AsString()))
            .Select(f => $"{f} '{artifact[f].AsString()}'");
        var text = string.Join(", ", parts);
        return text.Length == 0 ? "{}" : "{" + text + "}";
    }
}
