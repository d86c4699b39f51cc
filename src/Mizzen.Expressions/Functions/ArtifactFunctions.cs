using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Functions.FunctionArguments;

namespace Mizzen.Expressions.Functions;

/// <summary><c>#triggerResolvedArtifact(name)</c>, <c>#triggerResolvedArtifactByType(type)</c>, <c>#resolvedArtifacts()</c>.</summary>
internal static class ArtifactFunctions
{
    public static void Register(ExpressionFunctionRegistry registry)
    {
        registry.Add("triggerResolvedArtifact", (args, state) => Bound(args, state, "name", "#triggerResolvedArtifact(name)"), executionAware: true);
        registry.Add("triggerResolvedArtifactByType", (args, state) => Bound(args, state, "type", "#triggerResolvedArtifactByType(type)"), executionAware: true);
        registry.Add("resolvedArtifacts", ResolvedArtifacts, executionAware: true);
    }

    private static object? Bound(object?[] args, EvaluationState state, string field, string signature)
    {
        Count(args, 1, signature);
        var execution = Execution(state, signature);
        var wanted = Text(args, 0, signature);
        var artifacts = execution.Trigger["resolvedExpectedArtifacts"] as JsonArray ?? [];
        foreach (var expected in artifacts)
        {
            if (expected?["boundArtifact"] is JsonObject bound && bound[field].AsString() == wanted)
            {
                return bound;
            }
        }

        throw new ExpressionFunctionException($"Unable to locate resolved artifact {wanted} in trigger execution {execution.Id}.");
    }

    private static object? ResolvedArtifacts(object?[] args, EvaluationState state)
    {
        Count(args, 0, "#resolvedArtifacts()");
        var result = new ValueList();
        foreach (var stage in Execution(state, "#resolvedArtifacts()").Stages)
        {
            if (stage.Outputs["artifacts"] is JsonArray artifacts)
            {
                result.AddRange(artifacts.Select(JsonValues.FromNode));
            }
        }

        return result;
    }
}
