using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>
/// The commands that answer a manual judgment a followed run waits on: <c>./mizzen execution judge ID "stage name" --continue</c>
/// and <c>--stop</c>, plus the stage's <c>judgmentInputs</c> for <c>--input</c> when it has any.
/// </summary>
internal static class JudgmentPrompt
{
    private const string ManualJudgmentType = "manualJudgment";

    /// <summary>True while the stage is a manual judgment that runs and has no answer yet.</summary>
    public static bool IsWaiting(StageExecution stage) =>
        stage.Type == ManualJudgmentType && stage.Status == ExecutionStatus.Running && stage.Context["judgmentStatus"].AsString() is null or "";

    public static IReadOnlyList<string> Lines(PipelineExecution execution, StageExecution stage)
    {
        // The name, unless another stage has it too: then the id, which judge takes as well.
        var ambiguous = execution.Stages.Any(s => s.Id != stage.Id && string.Equals(s.Name, stage.Name, StringComparison.OrdinalIgnoreCase));
        var command = $"./mizzen execution judge {execution.Id} {ShellQuote(ambiguous || stage.Name.Length == 0 ? stage.Id : stage.Name)}";
        var lines = new List<string> { $"  {command} --continue", $"  {command} --stop" };
        var inputs = (stage.Context["judgmentInputs"] as JsonArray ?? [])
            .Select(i => i is JsonObject o ? o["value"].AsString() : i.AsString())
            .OfType<string>()
            .Where(v => v.Length > 0)
            .ToList();
        if (inputs.Count > 0)
        {
            lines.Add($"  add --input with one of: {string.Join(", ", inputs.Select(ShellQuote))}");
        }

        return lines;
    }

    /// <summary>Double quotes as people type them, or single quotes when the text holds something a shell expands inside double quotes.</summary>
    internal static string ShellQuote(string text) =>
        text.IndexOfAny(['"', '$', '`', '\\', '!']) < 0
            ? $"\"{text}\""
            : $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
