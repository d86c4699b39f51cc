using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.EvaluateVariables;

/// <summary>
/// <c>evaluateVariables</c>: <c>variables: [{key, value, description}]</c> evaluated in order, each seeing the ones
/// before it; the stage's outputs are <c>{key: value}</c>. The task evaluates the raw <c>value</c>s itself, so the
/// engine's generic evaluation of <c>variables</c> is not needed (Orca leaves <c>variables</c> out of it too).
/// </summary>
public sealed class EvaluateVariablesStage : IStageDefinition
{
    public const string StageType = "evaluateVariables";

    public string Type => StageType;

    public IReadOnlyCollection<string> UnevaluatedContextKeys { get; } = [EvaluateVariablesTask.VariablesKey];

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<EvaluateVariablesTask>("evaluateVariables");

    /// <summary>
    /// Orca's restart: outputs cleared, each evaluated <c>value</c> replaced by its expression again from <c>sourceValue</c>
    /// (<c>{a + b}</c> → <c>${a + b}</c>), so the restart re-evaluates against the current state.
    /// </summary>
    public void PrepareForRestart(StageExecution stage)
    {
        stage.Outputs.Clear();
        if (stage.Context[EvaluateVariablesTask.VariablesKey] is not JsonArray variables)
        {
            return;
        }

        foreach (var variable in variables.OfType<JsonObject>())
        {
            if (variable[EvaluateVariablesTask.SourceValueKey] is JsonValue source && source.GetValueKind() == JsonValueKind.String)
            {
                variable["value"] = EvaluateVariablesTask.RestoreExpression(source.GetValue<string>());
                variable.Remove(EvaluateVariablesTask.SourceValueKey);
            }
        }
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var node = stageConfig[EvaluateVariablesTask.VariablesKey];
        if (node is null)
        {
            yield return StageConfigChecks.Required(path, EvaluateVariablesTask.VariablesKey, StageType);
            yield break;
        }

        if (node is not JsonArray variables)
        {
            yield return new ValidationProblem($"{path}.variables", "must be a list of {\"key\", \"value\"}");
            yield break;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            var key = (variables[i] as JsonObject)?["key"];
            if (StageConfigChecks.IsMissing(key) || key is not JsonValue keyValue || keyValue.GetValueKind() != JsonValueKind.String)
            {
                yield return new ValidationProblem($"{path}.variables[{i}].key", "required: every variable needs a name");
                continue;
            }

            var name = keyValue.GetValue<string>();
            if (!seen.TryAdd(name, i))
            {
                yield return new ValidationProblem($"{path}.variables[{i}].key",
                    $"duplicate variable '{name}' (also variables[{seen[name]}]): the later value would silently win");
            }
        }
    }
}
