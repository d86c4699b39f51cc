using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.CheckPreconditions;

/// <summary>
/// <c>checkPreconditions</c>: no tasks of its own; each entry of <c>preconditions</c> becomes a parallel STAGE_BEFORE
/// <c>checkPrecondition</c> stage named "Check precondition (&lt;type&gt;)" whose context is this stage's context (without
/// <c>preconditions</c>) plus the entry, so an entry's <c>failPipeline</c> decides what its failure does.
/// </summary>
public sealed class CheckPreconditionsStage(IEnumerable<IPrecondition> preconditions) : IStageDefinition
{
    public const string StageType = "checkPreconditions";
    public const string PreconditionsKey = "preconditions";

    private readonly IReadOnlyList<IPrecondition> known = preconditions.ToList();

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
    }

    public void BuildBeforeStages(PipelineExecution execution, StageExecution parent, StageGraph graph)
    {
        if (parent.Context[PreconditionsKey] is not JsonArray entries)
        {
            return;
        }

        var baseContext = (JsonObject)parent.Context.DeepClone();
        baseContext.Remove(PreconditionsKey);
        foreach (var entry in entries)
        {
            var context = (JsonObject)baseContext.DeepClone();
            var type = "";
            if (entry is JsonObject precondition)
            {
                foreach (var (key, value) in precondition)
                {
                    if (key != "type")
                    {
                        context[key] = value?.DeepClone();
                    }
                }

                type = precondition["type"].AsString() ?? "";
            }

            context[CheckPreconditionTask.PreconditionTypeKey] = type;
            graph.Add(CheckPreconditionStage.StageType, $"Check precondition ({type})", context);
        }
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var node = stageConfig[PreconditionsKey];
        if (node is null)
        {
            yield return StageConfigChecks.Required(path, PreconditionsKey, StageType);
            yield break;
        }

        if (node is not JsonArray entries)
        {
            yield return new ValidationProblem($"{path}.{PreconditionsKey}", "must be a list of {\"type\", \"context\"}");
            yield break;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            foreach (var problem in ValidateEntry(entries[i], $"{path}.{PreconditionsKey}[{i}]"))
            {
                yield return problem;
            }
        }
    }

    private IEnumerable<ValidationProblem> ValidateEntry(JsonNode? entry, string path)
    {
        if (entry is not JsonObject precondition)
        {
            yield return new ValidationProblem(path, "must be an object {\"type\", \"context\"}");
            yield break;
        }

        var type = precondition["type"].AsString();
        if (string.IsNullOrWhiteSpace(type))
        {
            yield return new ValidationProblem($"{path}.type", $"required (one of: {Supported()})");
            yield break;
        }

        var kind = known.FirstOrDefault(p => string.Equals(p.Type, type, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            yield return new ValidationProblem($"{path}.type", $"unknown precondition type '{type}' (supported: {Supported()})");
            yield break;
        }

        if (precondition["context"] is not JsonObject context)
        {
            yield return new ValidationProblem($"{path}.context", $"required for a '{kind.Type}' precondition");
            yield break;
        }

        foreach (var problem in kind.Validate(context, $"{path}.context"))
        {
            yield return problem;
        }
    }

    private string Supported() => string.Join(", ", known.Select(p => p.Type).Order(StringComparer.Ordinal));
}
