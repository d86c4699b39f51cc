using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Validation;

/// <summary>The DAG rules: refIds present (or absent everywhere: Orca then chains the stages) and unique, requisites that exist, no cycles.</summary>
internal static class StageGraphChecks
{
    public static void Check(JsonArray stages, List<ValidationProblem> problems)
    {
        var refs = new Dictionary<string, int>(StringComparer.Ordinal);
        var anyRef = stages.Any(s => s is JsonObject o && o["refId"] is not null);
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not JsonObject stage)
            {
                problems.Add(new($"stages[{i}]", "a stage must be a JSON object"));
                continue;
            }

            var refId = stage["refId"].AsString();
            if (refId is null)
            {
                if (anyRef)
                {
                    problems.Add(new($"stages[{i}].refId", "missing: when some stages have a refId, every stage needs one"));
                }

                continue;
            }

            if (!refs.TryAdd(refId, i))
            {
                problems.Add(new($"stages[{i}].refId", $"duplicate refId '{refId}' (also used by stages[{refs[refId]}])"));
            }
        }

        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not JsonObject stage || stage["refId"].AsString() is not { } refId)
            {
                continue;
            }

            var requisites = stage["requisiteStageRefIds"];
            if (requisites is not null and not JsonArray)
            {
                problems.Add(new($"stages[{i}].requisiteStageRefIds", "must be a list of refIds"));
                continue;
            }

            var list = new List<string>();
            var index = 0;
            foreach (var requisite in requisites as JsonArray ?? [])
            {
                var target = requisite.AsString();
                if (target is null || !refs.ContainsKey(target))
                {
                    problems.Add(new($"stages[{i}].requisiteStageRefIds[{index}]", $"points to '{target}', which no stage has as its refId"));
                }
                else if (target == refId)
                {
                    problems.Add(new($"stages[{i}].requisiteStageRefIds[{index}]", "a stage cannot require itself"));
                }
                else
                {
                    list.Add(target);
                }

                index++;
            }

            edges.TryAdd(refId, list);
        }

        if (FindCycle(edges) is { } cycle)
        {
            problems.Add(new($"stages[{refs[cycle[0]]}].requisiteStageRefIds", "stages depend on each other in a cycle: " + string.Join(" -> ", cycle)));
        }
    }

    private static List<string>? FindCycle(Dictionary<string, List<string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in edges.Keys)
        {
            if (Visit(start) is { } found)
            {
                return found;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            if (state.TryGetValue(node, out var s))
            {
                return s == 1 ? [.. path.Skip(path.IndexOf(node)), node] : null;
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }
}
