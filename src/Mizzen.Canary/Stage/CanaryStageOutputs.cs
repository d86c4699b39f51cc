using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Canary.Stage;

/// <summary>
/// The stage's outputs, as Orca writes them: <c>canaryScores</c> (one per judged interval), <c>canaryScoreMessage</c>,
/// <c>lastUpdated</c> (epoch ms) and <c>lastUpdatedIso</c>, plus <c>canaryConfigId</c>, <c>canaryExecutionId</c> and
/// <c>reportUrl</c> (the API path of the run's reports).
/// </summary>
public static class CanaryStageOutputs
{
    public const string CanaryScoresKey = "canaryScores";
    public const string CanaryScoreMessageKey = "canaryScoreMessage";
    public const string CanaryExecutionIdKey = "canaryExecutionId";
    public const string ReportUrlKey = "reportUrl";

    public static JsonObject Build(string configId, string canaryExecutionId, IReadOnlyList<double> scores, string? message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var outputs = new JsonObject
        {
            [CanaryScoresKey] = new JsonArray(scores.Select(s => (JsonNode?)(double.IsFinite(s) ? JsonValue.Create(s) : null)).ToArray()),
            ["lastUpdated"] = now.ToUnixTimeMilliseconds(),
            ["lastUpdatedIso"] = CanaryIntervalRecord.Iso(now),
            ["canaryConfigId"] = configId,
            [CanaryExecutionIdKey] = canaryExecutionId,
            [ReportUrlKey] = CanaryExecutionId.ReportPath(configId, canaryExecutionId),
        };
        if (message is not null)
        {
            outputs[CanaryScoreMessageKey] = message;
        }

        return outputs;
    }

    /// <summary>Copies the outputs into the context too (Deck reads the canary summary from the stage context).</summary>
    public static void CopyInto(JsonObject context, JsonObject outputs)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outputs);
        foreach (var (key, value) in outputs)
        {
            context[key] = value?.DeepClone();
        }
    }

    /// <summary>TERMINAL with the message, or FAILED_CONTINUE when the stage sets <c>continuePipeline</c> (Orca).</summary>
    public static TaskResult Failure(StageExecution stage, string message, JsonObject context, JsonObject outputs)
    {
        ArgumentNullException.ThrowIfNull(stage);
        CopyInto(context, outputs);
        var failed = TaskResult.Terminal(message, context) with { Outputs = outputs };
        return stage.Context["continuePipeline"].AsBool() == true ? failed with { Status = ExecutionStatus.FailedContinue } : failed;
    }
}
