using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Server.Ui.Shared;

/// <summary>Manual judgment stages of a run that wait for someone: what the banner and the run rows offer to judge.</summary>
public static class Judgments
{
    public static IEnumerable<StageExecution> Awaiting(PipelineExecution execution) =>
        execution.Stages.Where(s => s.Type == "manualJudgment" && s.Status == ExecutionStatus.Running && s.Context["judgmentStatus"] is null);

    /// <summary>The stage's <c>judgmentInputs</c> values, in order (empty when it offers none).</summary>
    public static IReadOnlyList<string> Options(StageExecution stage) =>
        stage.Context["judgmentInputs"] is System.Text.Json.Nodes.JsonArray inputs
            ? [.. inputs.Select(i => i?["value"].AsString()).OfType<string>()]
            : [];
}
