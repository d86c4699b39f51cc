using System.Text.Json.Serialization;

namespace Mizzen.Core.Model;

[JsonConverter(typeof(JsonStringEnumConverter<ExecutionType>))]
public enum ExecutionType
{
    /// <summary>A run of a stored (or ad-hoc) pipeline config.</summary>
    [JsonStringEnumMemberName("PIPELINE")] Pipeline,

    /// <summary>An ad-hoc task (resize, rollback ...) with the same audit trail as a pipeline.</summary>
    [JsonStringEnumMemberName("ORCHESTRATION")] Orchestration,
}

[JsonConverter(typeof(JsonStringEnumConverter<SyntheticStageOwner>))]
public enum SyntheticStageOwner
{
    [JsonStringEnumMemberName("STAGE_BEFORE")] StageBefore,
    [JsonStringEnumMemberName("STAGE_AFTER")] StageAfter,
}
