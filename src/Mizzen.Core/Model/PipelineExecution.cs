using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Mizzen.Core.Model;

/// <summary>One run of a pipeline (or an ad-hoc orchestration): stages, their tasks and status, as Orca stores it.</summary>
public sealed class PipelineExecution
{
    public string Id { get; set; } = "";
    public ExecutionType Type { get; set; } = ExecutionType.Pipeline;
    public string Application { get; set; } = "";
    public string? Name { get; set; }
    public string? PipelineConfigId { get; set; }
    public ExecutionStatus Status { get; set; } = ExecutionStatus.NotStarted;
    public long? BuildTime { get; set; }
    public long? StartTime { get; set; }
    public long? EndTime { get; set; }
    public long? StartTimeExpiry { get; set; }
    public bool Canceled { get; set; }
    public string? CanceledBy { get; set; }
    public string? CancellationReason { get; set; }
    public bool LimitConcurrent { get; set; }
    public int MaxConcurrentExecutions { get; set; }
    public bool KeepWaitingPipelines { get; set; }
    public JsonObject Trigger { get; set; } = [];
    public AuthenticationDetails Authentication { get; set; } = new();
    public PausedDetails? Paused { get; set; }
    public string? Description { get; set; }
    public string? SpelEvaluator { get; set; }
    public JsonArray? Notifications { get; set; }
    public JsonObject? InitialConfig { get; set; }
    public List<StageExecution> Stages { get; set; } = [];

    /// <summary>Fields Spinnaker sends that Mizzen does not model (origin, source, templateVariables ...), kept as given.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public StageExecution? StageById(string stageId) => Stages.Find(s => s.Id == stageId);

    public StageExecution StageByIdOrThrow(string stageId) =>
        StageById(stageId) ?? throw new InvalidOperationException($"stage {stageId} is not part of execution {Id}");

    /// <summary>Total milliseconds the execution has been paused (including a pause in progress).</summary>
    public long PausedDurationMs(long now) =>
        Paused is null ? 0 : Paused.PausedMs + (Paused.IsPaused ? now - Paused.PauseTime!.Value : 0);
}
