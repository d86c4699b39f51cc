using Mizzen.Cli.Output;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Cli.Executions;

/// <summary>The readable form of one execution: a summary, a stage table, then each stage's errors.</summary>
internal static class ExecutionView
{
    public static void Write(TextWriter writer, PipelineExecution execution, TimeProvider clock)
    {
        FieldList.Write(writer,
            ("id", execution.Id),
            ("application", execution.Application),
            ("pipeline", execution.Name),
            ("status", Display.Status(execution.Status)),
            ("trigger", Trigger(execution)),
            ("started", Display.Time(execution.StartTime, clock)),
            ("duration", Display.Duration(execution.StartTime, execution.EndTime, clock)),
            ("paused", execution.Paused?.IsPaused == true ? $"by {execution.Paused.PausedBy}" : null),
            ("canceled", execution.Canceled ? $"by {execution.CanceledBy ?? "?"}{Reason(execution.CancellationReason)}" : null));
        writer.WriteLine();
        TableRenderer.Write(writer, ["stage", "id", "type", "status", "start", "duration"],
            execution.Stages.Select(stage => new[]
            {
                new string(' ', stage.ParentStageId is null ? 0 : 2) + stage.Name,
                stage.Id,
                stage.Type,
                Display.Status(stage.Status),
                Display.Time(stage.StartTime, clock),
                Display.Duration(stage.StartTime, stage.EndTime, clock),
            }));
        foreach (var (stage, errors) in StageErrors.InExecution(execution))
        {
            writer.WriteLine();
            writer.WriteLine($"errors in {stage.Name}:");
            foreach (var error in errors)
            {
                writer.WriteLine($"  {error}");
            }
        }
    }

    public static string Trigger(PipelineExecution execution)
    {
        var type = execution.Trigger["type"].AsString() ?? "?";
        var user = execution.Trigger["user"].AsString() ?? execution.Authentication.User;
        return $"{type} by {user}";
    }

    private static string Reason(string? reason) => string.IsNullOrEmpty(reason) ? "" : $": {reason}";
}
