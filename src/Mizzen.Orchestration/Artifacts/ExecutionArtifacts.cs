using System.Text.Json.Nodes;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>What a run produced or received (Orca's <c>ArtifactUtils.getAllArtifacts</c>): its trigger's <c>artifacts</c>, then each stage's output <c>artifacts</c>, without duplicates.</summary>
public static class ExecutionArtifacts
{
    public static List<JsonObject> Of(PipelineExecution run)
    {
        var artifacts = (run.Trigger["artifacts"] as JsonArray ?? []).OfType<JsonObject>();
        foreach (var stage in run.Stages)
        {
            if (stage.Outputs["artifacts"] is JsonArray produced)
            {
                artifacts = artifacts.Concat(produced.OfType<JsonObject>());
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return artifacts.Where(a => seen.Add(a.ToJsonString())).ToList();
    }
}
