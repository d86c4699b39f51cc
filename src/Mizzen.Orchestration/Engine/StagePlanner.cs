using System.Text.Json.Nodes;
using Mizzen.Core.Ids;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Orchestration.Engine;

/// <summary>
/// Plans a stage when it starts (tasks, before stages, the execution window) and when its tasks finish
/// (after stages, on-failure stages), inserting synthetic stages next to their parent as Orca does.
/// </summary>
public sealed class StagePlanner(StageCatalog catalog, TimeProvider time)
{
    public const string ExecutionWindowType = "restrictExecutionDuringTimeWindow";

    private static readonly string[] WindowContextExclusions = ["restrictExecutionDuringTimeWindow", "stageTimeoutMs", "alias", "stageEnabled"];

    public IStageDefinition Definition(StageExecution stage)
    {
        var type = stage.Context["alias"].AsString() is { Length: > 0 } alias && catalog.TryGet(alias, out _) ? alias : stage.Type;
        return catalog.TryGet(type, out var definition)
            ? definition
            : throw new InvalidOperationException($"stage '{stage.Name}' has type '{stage.Type}', which Mizzen does not know");
    }

    /// <summary>Builds the tasks and before stages; returns the before stages that can start now.</summary>
    public List<StageExecution> PlanStart(PipelineExecution execution, StageExecution stage)
    {
        var definition = Definition(stage);
        var graph = new TaskGraph();
        definition.BuildTasks(stage, graph);
        stage.Tasks = graph.Nodes.Select((node, i) => new TaskExecution
        {
            Id = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name = node.Name,
            ImplementingClass = node.TaskType.FullName ?? node.TaskType.Name,
            StageStart = i == 0,
            StageEnd = i == graph.Nodes.Count - 1,
        }).ToList();

        var before = new StageGraph();
        StageExecution? window = null;
        if (stage.ContextFlag("restrictExecutionDuringTimeWindow") && stage.Type != ExecutionWindowType)
        {
            var windowContext = new JsonObject();
            foreach (var (key, value) in stage.Context)
            {
                if (!WindowContextExclusions.Contains(key))
                {
                    windowContext[key] = value?.DeepClone();
                }
            }

            window = NewSynthetic(stage, ExecutionWindowType, ExecutionWindowType, windowContext, SyntheticStageOwner.StageBefore, $"{stage.RefId}<0", []);
        }

        definition.BuildBeforeStages(execution, stage, before);
        var created = Materialize(stage, before, SyntheticStageOwner.StageBefore, '<');
        if (window is not null)
        {
            foreach (var initial in created.Where(s => s.RequisiteStageRefIds.Count == 0))
            {
                initial.RequisiteStageRefIds.Add(window.RefId!);
            }

            created.Insert(0, window);
        }

        var index = execution.Stages.IndexOf(stage);
        execution.Stages.InsertRange(index, created);
        return created.Where(s => s.RequisiteStageRefIds.Count == 0).ToList();
    }

    /// <summary>Plans after stages once (the parent's tasks are done); returns those that can start now.</summary>
    public List<StageExecution> PlanAfter(PipelineExecution execution, StageExecution stage)
    {
        if (stage.ContextFlag("afterStagesPlanned"))
        {
            return [];
        }

        stage.Context["afterStagesPlanned"] = true;
        var graph = new StageGraph();
        Definition(stage).BuildAfterStages(execution, stage, graph);
        return Insert(execution, stage, Materialize(stage, graph, SyntheticStageOwner.StageAfter, '>'));
    }

    /// <summary>
    /// Plans on-failure stages once: unstarted synthetic stages are dropped and the failure stages run as a chain.
    /// Returns the first one, or null when the definition has none.
    /// </summary>
    public StageExecution? PlanOnFailure(PipelineExecution execution, StageExecution stage)
    {
        if (stage.ContextFlag("onFailureStagesPlanned"))
        {
            return null;
        }

        var graph = new StageGraph();
        Definition(stage).BuildOnFailureStages(execution, stage, graph);
        if (graph.Stages.Count == 0)
        {
            return null;
        }

        stage.Context["onFailureStagesPlanned"] = true;
        execution.Stages.RemoveAll(s => s.ParentStageId == stage.Id && s.Status == ExecutionStatus.NotStarted);
        var chain = new StageGraph();
        foreach (var spec in graph.Stages)
        {
            chain.Append(spec.Type, spec.Name, spec.Context);
        }

        var created = Materialize(stage, chain, SyntheticStageOwner.StageAfter, '>', offset: execution.Children(stage).Count());
        return Insert(execution, stage, created).FirstOrDefault();
    }

    private List<StageExecution> Insert(PipelineExecution execution, StageExecution stage, List<StageExecution> created)
    {
        var last = execution.Stages.IndexOf(stage);
        var descendants = execution.Descendants(stage).Select(d => execution.Stages.IndexOf(d)).DefaultIfEmpty(last).Max();
        execution.Stages.InsertRange(Math.Max(last, descendants) + 1, created);
        return created.Where(s => s.RequisiteStageRefIds.Count == 0).ToList();
    }

    private List<StageExecution> Materialize(StageExecution parent, StageGraph graph, SyntheticStageOwner owner, char marker, int offset = 0)
    {
        var result = new List<StageExecution>();
        var bySpec = new Dictionary<SyntheticStageSpec, StageExecution>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < graph.Stages.Count; i++)
        {
            var spec = graph.Stages[i];
            var requisites = spec.After is not null && bySpec.TryGetValue(spec.After, out var previous) ? new List<string> { previous.RefId! } : [];
            var created = NewSynthetic(parent, spec.Type, spec.Name, spec.Context, owner, $"{parent.RefId}{marker}{i + 1 + offset}", requisites);
            bySpec[spec] = created;
            result.Add(created);
        }

        return result;
    }

    private StageExecution NewSynthetic(StageExecution parent, string type, string name, JsonObject context, SyntheticStageOwner owner, string refId, List<string> requisites) =>
        new()
        {
            Id = Ulid.NewUlid(time),
            RefId = refId,
            Type = type,
            Name = name,
            Context = context,
            ParentStageId = parent.Id,
            SyntheticStageOwner = owner,
            RequisiteStageRefIds = requisites,
        };
}
