using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.ManualJudgment;

/// <summary>
/// What a judgment PATCH may do. The first judgment wins: once a stage holds a decision (<c>continue</c> or
/// <c>stop</c>), every later one is a conflict that names who judged and what, until the stage is restarted. The
/// decision must be <c>continue</c> or <c>stop</c>, and the input one of the stage's <c>judgmentInputs</c> when it
/// lists any. Checked in the transaction that stores the judgment, so of simultaneous judgments exactly one is stored.
/// </summary>
public static class JudgmentRules
{
    public static void Check(StageExecution stage, JsonObject patch)
    {
        if (!patch.ContainsKey(WaitForJudgmentTask.JudgmentStatusKey) && !patch.ContainsKey(WaitForJudgmentTask.JudgmentInputKey))
        {
            return;
        }

        if (Decision(stage.Context[WaitForJudgmentTask.JudgmentStatusKey]) is { } decided)
        {
            var judge = stage.Context[WaitForJudgmentTask.LastModifiedByKey].AsString() ?? "someone";
            var input = stage.Context[WaitForJudgmentTask.JudgmentInputKey].AsString() is { Length: > 0 } given ? $" with input '{given}'" : "";
            var when = stage.LastModified?.LastModifiedTime is { } at ? $" at {DateTimeOffset.FromUnixTimeMilliseconds(at):u}" : "";
            throw new ConflictException(
                $"stage '{stage.Name}' was already judged '{decided}'{input} by {judge}{when}; the first judgment stands (restart the stage to judge again)");
        }

        var status = patch[WaitForJudgmentTask.JudgmentStatusKey];
        if (status is not null && Decision(status) is null)
        {
            throw new ValidationException(WaitForJudgmentTask.JudgmentStatusKey,
                $"'{status.ToJsonString()}' is not a judgment; use \"continue\" or \"stop\"");
        }

        if (Options(stage) is { Count: > 0 } options && patch[WaitForJudgmentTask.JudgmentInputKey] is { } inputNode)
        {
            var value = inputNode.AsString();
            if (value is not "" && (value is null || !options.Contains(value, StringComparer.Ordinal)))
            {
                throw new ValidationException(WaitForJudgmentTask.JudgmentInputKey,
                    $"'{value ?? inputNode.ToJsonString()}' is not one of stage '{stage.Name}'s judgment options: {string.Join(", ", options.Select(o => $"'{o}'"))}");
            }
        }
    }

    /// <summary>The stage's <c>judgmentInputs</c> values, in order.</summary>
    public static IReadOnlyList<string> Options(StageExecution stage) =>
        stage.Context["judgmentInputs"] is JsonArray inputs
            ? [.. inputs.OfType<JsonObject>().Select(i => i["value"].AsString()).OfType<string>()]
            : [];

    private static string? Decision(JsonNode? status) =>
        status.AsString()?.Trim().ToLowerInvariant() is { } text && text is "continue" or "stop" ? text : null;
}
