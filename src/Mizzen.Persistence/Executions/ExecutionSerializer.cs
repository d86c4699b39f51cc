using System.Text.Json;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Persistence.Executions;

/// <summary>
/// Executions are stored as one header row plus one row per stage, so a change to one stage rewrites one
/// small row, not the whole (possibly megabyte-sized) execution.
/// </summary>
public static class ExecutionSerializer
{
    public static string SerializeHeader(PipelineExecution execution)
    {
        var stages = execution.Stages;
        execution.Stages = [];
        try
        {
            return JsonSerializer.Serialize(execution, MizzenJsonContext.Default.PipelineExecution);
        }
        finally
        {
            execution.Stages = stages;
        }
    }

    public static string SerializeStage(StageExecution stage) =>
        JsonSerializer.Serialize(stage, MizzenJsonContext.Default.StageExecution);

    public static PipelineExecution DeserializeHeader(string json) =>
        JsonSerializer.Deserialize(json, MizzenJsonContext.Default.PipelineExecution)
        ?? throw new JsonException("stored execution is null");

    public static StageExecution DeserializeStage(string json) =>
        JsonSerializer.Deserialize(json, MizzenJsonContext.Default.StageExecution)
        ?? throw new JsonException("stored stage is null");

    /// <summary>The whole execution as one JSON document (the API's shape).</summary>
    public static string Serialize(PipelineExecution execution) =>
        JsonSerializer.Serialize(execution, MizzenJsonContext.Default.PipelineExecution);
}
