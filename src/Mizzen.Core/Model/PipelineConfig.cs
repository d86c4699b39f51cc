using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Core.Model;

/// <summary>
/// A pipeline config as Spinnaker writes it. The JSON object is the source of truth: every field Mizzen
/// does not know is kept and given back unchanged. Typed accessors read the fields the engine uses.
/// </summary>
public sealed class PipelineConfig(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string? Id
    {
        get => Json["id"].AsString();
        set => Json["id"] = value;
    }

    public string Name => Json["name"].AsString() ?? "";

    public string Application => Json["application"].AsString() ?? "";

    public bool Disabled => Json["disabled"].AsBool() ?? false;

    public bool LimitConcurrent => Json["limitConcurrent"].AsBool() ?? false;

    public bool KeepWaitingPipelines => Json["keepWaitingPipelines"].AsBool() ?? false;

    public int MaxConcurrentExecutions => (int)(Json["maxConcurrentExecutions"].AsLong() ?? 0);

    public JsonArray Stages => Json["stages"] as JsonArray ?? [];

    public JsonArray ParameterConfig => Json["parameterConfig"] as JsonArray ?? [];

    public static PipelineConfig Parse(string json) => new(MizzenJson.ParseObject(json));

    /// <summary>
    /// Orca's numbering for linear pipelines: when no stage has a <c>refId</c>, stages get "0", "1", ...
    /// and each requires the one before it. Configs that use refIds are left alone.
    /// </summary>
    public static void NumberLinearStages(JsonArray stages)
    {
        if (stages.Count == 0 || stages.Any(s => s is JsonObject o && o["refId"] is not null))
        {
            return;
        }

        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not JsonObject stage)
            {
                continue;
            }

            stage["refId"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            stage["requisiteStageRefIds"] = i == 0
                ? new JsonArray()
                : new JsonArray((i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
