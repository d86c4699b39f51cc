using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Evaluation;

/// <summary>A stage as <c>#stage(...)</c> returns it: id, refId, type, name, status, context, outputs, tasks, times, hasSucceeded, hasFailed ...</summary>
internal sealed class StageView(StageExecution stage, ExecutionView execution)
{
    public static readonly string[] MemberNames =
    [
        "id", "refId", "type", "name", "status", "context", "outputs", "tasks", "startTime", "endTime", "parentStageId",
        "syntheticStageOwner", "requisiteStageRefIds", "execution", "hasSucceeded", "hasFailed",
    ];

    public StageExecution Stage { get; } = stage;

    public bool TryGet(string name, out object? value)
    {
        value = name switch
        {
            "id" => Stage.Id,
            "refId" => Stage.RefId,
            "type" => Stage.Type,
            "name" => Stage.Name,
            "status" => Stage.Status.ToWireName(),
            "context" => Stage.Context,
            "outputs" => Stage.Outputs,
            "tasks" => JsonSerializer.SerializeToNode(Stage.Tasks, MizzenJson.Options),
            "startTime" => Stage.StartTime,
            "endTime" => Stage.EndTime,
            "parentStageId" => Stage.ParentStageId,
            "syntheticStageOwner" => Stage.SyntheticStageOwner switch
            {
                SyntheticStageOwner.StageBefore => "STAGE_BEFORE",
                SyntheticStageOwner.StageAfter => "STAGE_AFTER",
                _ => null,
            },
            "requisiteStageRefIds" => new ValueList(Stage.RequisiteStageRefIds.Select(r => (object?)r)),
            "execution" => execution,
            "hasSucceeded" => JsonValues.Box(Stage.Status == ExecutionStatus.Succeeded),
            "hasFailed" => JsonValues.Box(Stage.Status == ExecutionStatus.Terminal),
            _ => null,
        };
        return Array.IndexOf(MemberNames, name) >= 0;
    }

    public JsonObject ToJson() => JsonSerializer.SerializeToNode(Stage, MizzenJson.Options) as JsonObject ?? [];

    public override string ToString() => $"Stage(id={Stage.Id}, name={Stage.Name}, type={Stage.Type}, status={Stage.Status.ToWireName()})";
}
