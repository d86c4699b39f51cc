using System.Text.Json.Nodes;

namespace Mizzen.Core.Model;

/// <summary>Navigation of an execution's stage graph: DAG edges, synthetic parents and children, ancestors for context fall-through.</summary>
public static class ExecutionGraph
{
    public static StageExecution? Parent(this PipelineExecution execution, StageExecution stage) =>
        stage.ParentStageId is null ? null : execution.StageById(stage.ParentStageId);

    /// <summary>The top-level stage that owns <paramref name="stage"/> (itself when it is top-level).</summary>
    public static StageExecution TopLevel(this PipelineExecution execution, StageExecution stage)
    {
        var current = stage;
        while (current.ParentStageId is not null && execution.StageById(current.ParentStageId) is { } parent)
        {
            current = parent;
        }

        return current;
    }

    /// <summary>Stages in the same sibling group (same parent and owner) whose refId is in this stage's requisites.</summary>
    public static IEnumerable<StageExecution> Upstream(this PipelineExecution execution, StageExecution stage) =>
        stage.RequisiteStageRefIds.Count == 0
            ? []
            : execution.Stages.Where(s => s.ParentStageId == stage.ParentStageId
                                          && s.SyntheticStageOwner == stage.SyntheticStageOwner
                                          && s.RefId is not null
                                          && stage.RequisiteStageRefIds.Contains(s.RefId));

    /// <summary>Stages in the same sibling group that list this stage's refId as a requisite.</summary>
    public static IEnumerable<StageExecution> Downstream(this PipelineExecution execution, StageExecution stage) =>
        stage.RefId is null
            ? []
            : execution.Stages.Where(s => s.ParentStageId == stage.ParentStageId
                                          && s.SyntheticStageOwner == stage.SyntheticStageOwner
                                          && s.RequisiteStageRefIds.Contains(stage.RefId));

    public static IEnumerable<StageExecution> Children(this PipelineExecution execution, StageExecution parent) =>
        execution.Stages.Where(s => s.ParentStageId == parent.Id);

    public static IEnumerable<StageExecution> Children(this PipelineExecution execution, StageExecution parent, SyntheticStageOwner owner) =>
        execution.Stages.Where(s => s.ParentStageId == parent.Id && s.SyntheticStageOwner == owner);

    public static IEnumerable<StageExecution> TopLevelStages(this PipelineExecution execution) =>
        execution.Stages.Where(s => s.ParentStageId is null);

    /// <summary>Every stage below <paramref name="parent"/>, at any depth.</summary>
    public static IEnumerable<StageExecution> Descendants(this PipelineExecution execution, StageExecution parent)
    {
        foreach (var child in execution.Children(parent).ToList())
        {
            yield return child;
            foreach (var grandChild in execution.Descendants(child))
            {
                yield return grandChild;
            }
        }
    }

    /// <summary>
    /// Orca's ancestors, in lookup order: the stage itself, then upstream stages through requisites (recursively),
    /// then the parent (and its ancestors), with earlier synthetic siblings. Used for context fall-through.
    /// </summary>
    public static List<StageExecution> Ancestors(this PipelineExecution execution, StageExecution stage)
    {
        var result = new List<StageExecution>();
        var seen = new HashSet<string>();
        Collect(execution, stage, result, seen);
        return result;
    }

    private static void Collect(PipelineExecution execution, StageExecution stage, List<StageExecution> result, HashSet<string> seen)
    {
        if (!seen.Add(stage.Id))
        {
            return;
        }

        result.Add(stage);
        foreach (var upstream in execution.Upstream(stage))
        {
            Collect(execution, upstream, result, seen);
        }

        if (execution.Parent(stage) is { } parent)
        {
            // Synthetic before-stages of the parent that come earlier are visible through the parent's graph walk.
            if (stage.SyntheticStageOwner == SyntheticStageOwner.StageAfter)
            {
                foreach (var before in execution.Children(parent, SyntheticStageOwner.StageBefore))
                {
                    Collect(execution, before, result, seen);
                }
            }

            Collect(execution, parent, result, seen);
        }
    }

    /// <summary>Every stage downstream of <paramref name="stage"/> in its sibling group, transitively.</summary>
    public static List<StageExecution> AllDownstream(this PipelineExecution execution, StageExecution stage)
    {
        var result = new List<StageExecution>();
        var queue = new Queue<StageExecution>(execution.Downstream(stage));
        var seen = new HashSet<string>();
        while (queue.TryDequeue(out var next))
        {
            if (!seen.Add(next.Id))
            {
                continue;
            }

            result.Add(next);
            foreach (var further in execution.Downstream(next))
            {
                queue.Enqueue(further);
            }
        }

        return result;
    }

    /// <summary>
    /// The value of <paramref name="key"/> as a stage sees it: its own context first, then the outputs of its ancestors.
    /// </summary>
    public static JsonNode? ResolveContextValue(this PipelineExecution execution, StageExecution stage, string key)
    {
        if (stage.Context.TryGetPropertyValue(key, out var own))
        {
            return own;
        }

        foreach (var ancestor in execution.Ancestors(stage))
        {
            if (ancestor.Outputs.TryGetPropertyValue(key, out var value))
            {
                return value;
            }
        }

        return null;
    }
}
