using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.Pipeline;

/// <summary>
/// Orca's <c>execution.context</c> of a finished child: the outputs of its top-level stages merged in topological order.
/// A later stage wins; when both values are lists they are concatenated without duplicates.
/// </summary>
public static class ChildExecutionOutputs
{
    public static JsonObject Merge(PipelineExecution child)
    {
        var merged = new JsonObject();
        foreach (var stage in TopologicalTopLevel(child))
        {
            foreach (var (key, value) in stage.Outputs)
            {
                if (merged[key] is JsonArray existing && value is JsonArray more)
                {
                    var seen = existing.Select(n => n?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
                    foreach (var item in more.Where(item => seen.Add(item?.ToJsonString())))
                    {
                        existing.Add(item?.DeepClone());
                    }
                }
                else
                {
                    merged[key] = value?.DeepClone();
                }
            }
        }

        return merged;
    }

    /// <summary>Top-level stages, each after its requisites; ties keep the stored order.</summary>
    private static List<StageExecution> TopologicalTopLevel(PipelineExecution child)
    {
        var remaining = child.TopLevelStages().ToList();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<StageExecution>(remaining.Count);
        while (remaining.Count > 0)
        {
            var next = remaining.Find(s => s.RequisiteStageRefIds.All(r => done.Contains(r) || remaining.TrueForAll(o => o.RefId != r)))
                       ?? remaining[0];
            remaining.Remove(next);
            ordered.Add(next);
            if (next.RefId is not null)
            {
                done.Add(next.RefId);
            }
        }

        return ordered;
    }
}
