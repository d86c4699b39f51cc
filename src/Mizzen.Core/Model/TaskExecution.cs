using System.Text.Json.Nodes;

namespace Mizzen.Core.Model;

/// <summary>One task of a stage. Ids are "1", "2", ... in order; the first has <see cref="StageStart"/>, the last <see cref="StageEnd"/>.</summary>
public sealed class TaskExecution
{
    public string Id { get; set; } = "1";
    public string Name { get; set; } = "";
    public string ImplementingClass { get; set; } = "";
    public ExecutionStatus Status { get; set; } = ExecutionStatus.NotStarted;
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public bool StageStart { get; set; }
    public bool StageEnd { get; set; }
    public bool LoopStart { get; set; }
    public bool LoopEnd { get; set; }
    public JsonObject? TaskExceptionDetails { get; set; }

    /// <summary>The execution's total paused time when this task started.</summary>
    public long? PausedMsAtStart { get; set; }
}
