using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Functions.FunctionArguments;

namespace Mizzen.Expressions.Functions;

/// <summary><c>#manifestLabelValue(stageName, kind, labelKey)</c> and <c>#cfServiceKey(idOrName)</c>.</summary>
internal static class ManifestFunctions
{
    public static void Register(ExpressionFunctionRegistry registry)
    {
        registry.Add("manifestLabelValue", ManifestLabelValue, executionAware: true);
        registry.Add("cfServiceKey", CfServiceKey, executionAware: true);
    }

    private static object? ManifestLabelValue(object?[] args, EvaluationState state)
    {
        const string Signature = "#manifestLabelValue(stageName, kind, labelKey)";
        Count(args, 3, Signature);
        var (stageName, kind, label) = (Text(args, 0, Signature), Text(args, 1, Signature), Text(args, 2, Signature));
        if (kind is not ("Deployment" or "ReplicaSet"))
        {
            throw new ExpressionFunctionException("Only Deployment and ReplicaSet manifests are supported by #manifestLabelValue");
        }

        var execution = Execution(state, Signature);
        var stage = execution.Stages.Find(s => s.Name == stageName && s.Type == "deployManifest" && s.Status == ExecutionStatus.Succeeded)
                    ?? throw new ExpressionFunctionException($"A valid Deploy Manifest stage name is required for {Signature}: no SUCCEEDED deployManifest stage '{stageName}'");
        var manifest = (stage.Context["outputs.manifests"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(m => m["kind"].AsString() == kind)
                       ?? throw new ExpressionFunctionException($"Stage '{stageName}' deployed no {kind} manifest");
        return JsonValues.FromNode(manifest["spec"]?["template"]?["metadata"]?["labels"]?[label]);
    }

    private static object? CfServiceKey(object?[] args, EvaluationState state)
    {
        Count(args, 1, "#cfServiceKey(idOrName)");
        var wanted = Text(args, 0, "#cfServiceKey(idOrName)");
        var stage = Execution(state, "#cfServiceKey(idOrName)").Stages.Find(s =>
            s.Type == "createServiceKey" && s.Status == ExecutionStatus.Succeeded && (s.Name == wanted || s.Id == wanted));
        var key = stage?.Context["kato.tasks"]?[0]?["resultObjects"]?[0]?["serviceKey"];
        return key is null ? new ValueMap() : JsonValues.FromNode(key);
    }
}
