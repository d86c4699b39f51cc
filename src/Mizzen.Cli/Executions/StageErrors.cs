using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>What went wrong in a stage, as Orca records it: <c>context.exception.details.errors</c> (or <c>.error</c>).</summary>
internal static class StageErrors
{
    public static IReadOnlyList<string> Of(StageExecution stage)
    {
        var errors = new List<string>();
        Collect(stage.Context["exception"]?["details"], errors);
        foreach (var task in stage.Tasks)
        {
            Collect(task.TaskExceptionDetails?["details"], errors);
        }

        return errors.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every failed stage's errors, in stage order, for a failed run's summary.</summary>
    public static IEnumerable<(StageExecution Stage, IReadOnlyList<string> Errors)> InExecution(PipelineExecution execution) =>
        execution.Stages.Select(stage => (stage, Of(stage))).Where(entry => entry.Item2.Count > 0);

    private static void Collect(JsonNode? details, List<string> errors)
    {
        if (details is not JsonObject detailObject)
        {
            return;
        }

        if (detailObject["errors"] is JsonArray list)
        {
            errors.AddRange(list.Select(e => e.AsString() ?? e?.ToJsonString() ?? "").Where(e => e.Length > 0));
        }

        if (detailObject["error"].AsString() is { Length: > 0 } single && errors.Count == 0)
        {
            errors.Add(single);
        }
    }
}
