using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Server.Ui.Shared;

/// <summary>
/// The stage graph a pipeline config's text would run, for the editor's live preview: its top-level stages as a run that has not
/// started (numbered and chained like the engine does when they have no refId). Synthetic stages come from planning a real run,
/// so the preview shows the stages as written. Null when the text is not a JSON object with a stage list.
/// </summary>
public static class StagePreview
{
    public static PipelineExecution? Build(string text)
    {
        JsonArray stages;
        try
        {
            if (JsonNode.Parse(text) is not JsonObject config || config["stages"] is not JsonArray list)
            {
                return null;
            }

            stages = (JsonArray)list.DeepClone();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        PipelineConfig.NumberLinearStages(stages);
        var execution = new PipelineExecution { Id = "preview", Name = "preview" };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in stages.OfType<JsonObject>())
        {
            var refId = stage["refId"].AsString() ?? stage["refId"]?.ToJsonString();
            if (refId is null || !seen.Add(refId))
            {
                continue; // a stage without refId or a repeated one: the problem list names it
            }

            execution.Stages.Add(new StageExecution
            {
                Id = refId,
                RefId = refId,
                Name = stage["name"].AsString() ?? refId,
                Type = stage["type"].AsString() ?? "(no type)",
                RequisiteStageRefIds = [.. (stage["requisiteStageRefIds"] as JsonArray ?? []).Select(r => r.AsString() ?? r?.ToJsonString()).OfType<string>()],
            });
        }

        return execution;
    }
}
