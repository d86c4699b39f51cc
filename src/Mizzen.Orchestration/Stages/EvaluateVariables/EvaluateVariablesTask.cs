using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.EvaluateVariables;

/// <summary>
/// Evaluates each variable's raw <c>value</c> (from the stage as stored, not the engine's pre-evaluated copy) with the
/// variables evaluated so far in <see cref="ExpressionScope.Variables"/>. As in Orca: a variable whose expression fails
/// keeps its text, is not visible to later variables, and the failure goes to <c>expressionEvaluationSummary</c>
/// (so <c>failOnFailedExpressions</c> can fail the stage); expression values get <c>sourceValue</c> (<c>${</c> → <c>{</c>).
/// Unlike Orca, plain strings get no <c>sourceValue</c>: Orca's restart would turn a literal <c>{x}</c> into <c>${x}</c>.
/// </summary>
public sealed class EvaluateVariablesTask(IExpressionEvaluator evaluator) : ITask
{
    public const string VariablesKey = "variables";
    public const string SourceValueKey = "sourceValue";
    public const string SummaryKey = "expressionEvaluationSummary";

    public Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var raw = context.Stage.Context[VariablesKey] as JsonArray ?? [];
        var evaluatedSoFar = new JsonObject();
        var variables = new JsonArray();
        var summary = new JsonObject();

        foreach (var node in raw)
        {
            if (node is not JsonObject variable || variable["key"] is not JsonValue keyNode || keyNode.GetValueKind() != JsonValueKind.String)
            {
                continue;
            }

            var key = keyNode.GetValue<string>();
            var result = (JsonObject)variable.DeepClone();
            if (IsString(variable["value"], out var text))
            {
                if (text.Contains("${", StringComparison.Ordinal))
                {
                    result[SourceValueKey] ??= SourceExpression(text);
                }

                var scope = new ExpressionScope(context.Execution, context.Stage, Variables: (JsonObject)evaluatedSoFar.DeepClone(), User: context.User);
                var source = new JsonObject { ["value"] = text };
                if (variable.ContainsKey("description"))
                {
                    source["description"] = variable["description"]?.DeepClone();
                }

                var processed = evaluator.Process(source, scope);
                if (processed.Summary.HasFailures)
                {
                    Merge(summary, processed.Summary.ToJson());
                    variables.Add(result);
                    continue;
                }

                var values = (JsonObject)processed.Value!;
                result["value"] = values["value"]?.DeepClone();
                if (values.ContainsKey("description"))
                {
                    result["description"] = values["description"]?.DeepClone();
                }
            }

            evaluatedSoFar[key] = result["value"]?.DeepClone();
            variables.Add(result);
        }

        var stageContext = new JsonObject { [VariablesKey] = variables };
        if (summary.Count > 0)
        {
            var existing = context.Stage.Context[SummaryKey] as JsonObject;
            var merged = existing is null ? new JsonObject() : (JsonObject)existing.DeepClone();
            Merge(merged, summary);
            stageContext[SummaryKey] = merged;
        }

        return Task.FromResult(TaskResult.Succeeded(stageContext, evaluatedSoFar));
    }

    /// <summary>Orca's <c>saveSourceExpression</c>: the value with every <c>${</c> turned into <c>{</c>.</summary>
    public static string SourceExpression(string value) => value.Replace("${", "{", StringComparison.Ordinal);

    /// <summary>Orca's restart inverse (<c>{</c> → <c>${</c>); like Orca, exact only when the value had no other braces.</summary>
    public static string RestoreExpression(string sourceValue) => sourceValue.Replace("{", "${", StringComparison.Ordinal);

    private static bool IsString(JsonNode? node, out string text)
    {
        text = node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String;
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (expression, failures) in source)
        {
            target[expression] = failures?.DeepClone();
        }
    }
}
