using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Validation;

/// <summary>
/// Artifact ids a pipeline refers to must be ids of expected artifacts it declares (the pipeline's
/// <c>expectedArtifacts</c>, or those a stage produces: a stage's <c>expectedArtifacts</c> / <c>expectedArtifact</c>);
/// otherwise Spinnaker fails the stage at run time with "unable to resolve artifact". Checked: a trigger's
/// <c>expectedArtifactIds</c>, a stage's <c>requiredArtifactIds</c>, and <c>manifestArtifactId</c> when the stage reads its
/// manifest from an artifact (<c>source: artifact</c>; Deck leaves a stale id behind when the source is <c>text</c>).
/// </summary>
internal static class ArtifactReferenceChecks
{
    public static void Check(JsonObject pipeline, JsonArray stages, List<ValidationProblem> problems)
    {
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        Collect(pipeline["expectedArtifacts"], declared);
        foreach (var stage in stages.OfType<JsonObject>())
        {
            Collect(stage["expectedArtifacts"], declared);
            if (stage["expectedArtifact"] is JsonObject single)
            {
                Collect(new JsonArray(single.DeepClone()), declared);
            }
        }

        if (pipeline["triggers"] is JsonArray triggers)
        {
            for (var i = 0; i < triggers.Count; i++)
            {
                CheckList((triggers[i] as JsonObject)?["expectedArtifactIds"], $"triggers[{i}].expectedArtifactIds", declared, problems);
            }
        }

        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not JsonObject stage)
            {
                continue;
            }

            CheckList(stage["requiredArtifactIds"], $"stages[{i}].requiredArtifactIds", declared, problems);
            if (stage["source"].AsString() == "artifact")
            {
                CheckId(stage["manifestArtifactId"].AsString(), $"stages[{i}].manifestArtifactId", declared, problems);
            }
        }
    }

    private static void Collect(JsonNode? expectedArtifacts, Dictionary<string, string> declared)
    {
        foreach (var artifact in (expectedArtifacts as JsonArray ?? []).OfType<JsonObject>())
        {
            if (artifact["id"].AsString() is { Length: > 0 } id)
            {
                declared[id] = artifact["displayName"].AsString() ?? (artifact["matchArtifact"] as JsonObject)?["name"].AsString() ?? "";
            }
        }
    }

    private static void CheckList(JsonNode? ids, string path, Dictionary<string, string> declared, List<ValidationProblem> problems)
    {
        var list = ids as JsonArray ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            CheckId(list[i].AsString(), $"{path}[{i}]", declared, problems);
        }
    }

    private static void CheckId(string? id, string path, Dictionary<string, string> declared, List<ValidationProblem> problems)
    {
        if (string.IsNullOrEmpty(id) || id.Contains("${", StringComparison.Ordinal) || declared.ContainsKey(id))
        {
            return;
        }

        var known = declared.Count == 0
            ? "the pipeline declares no expected artifacts"
            : "expected artifacts: " + string.Join(", ", declared.Select(d => d.Value.Length > 0 ? $"{d.Key} ({d.Value})" : d.Key));
        problems.Add(new(path, $"artifact id '{id}' matches no expected artifact, so it cannot be resolved at run time ({known})"));
    }
}
