using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mizzen.Core.Model;

/// <summary>
/// One stage of an execution. Everything in a stage's config except <c>refId</c>, <c>requisiteStageRefIds</c>,
/// <c>type</c> and <c>name</c> is its <see cref="Context"/>; what it produces for later stages is in <see cref="Outputs"/>.
/// </summary>
public sealed class StageExecution
{
    public string Id { get; set; } = "";
    public string? RefId { get; set; }
    public string Type { get; set; } = "";
    public string Name { get; set; } = "";
    public ExecutionStatus Status { get; set; } = ExecutionStatus.NotStarted;
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public long? StartTimeExpiry { get; set; }
    public long? ScheduledTime { get; set; }
    public JsonObject Context { get; set; } = [];
    public JsonObject Outputs { get; set; } = [];
    public List<TaskExecution> Tasks { get; set; } = [];
    public SyntheticStageOwner? SyntheticStageOwner { get; set; }
    public string? ParentStageId { get; set; }
    public List<string> RequisiteStageRefIds { get; set; } = [];
    public LastModifiedDetails? LastModified { get; set; }

    /// <summary>The execution's total paused time when this stage started: pauses before it don't count against its timeout.</summary>
    public long? PausedMsAtStart { get; set; }

    [JsonIgnore]
    public bool IsSynthetic => ParentStageId is not null;

    [JsonIgnore]
    public bool IsInitial => RequisiteStageRefIds.Count == 0;

    public bool ContextFlag(string key, bool whenMissing = false) =>
        Context[key] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : whenMissing;
}
