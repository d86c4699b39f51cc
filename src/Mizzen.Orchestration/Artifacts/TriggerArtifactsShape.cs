using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;

namespace Mizzen.Orchestration.Artifacts;

/// <summary>
/// Checks the artifacts a caller hands to a run (a manual run's <c>artifacts</c> and <c>expectedArtifactIds</c>, as Gate takes them),
/// so a malformed one is a 400 naming <c>artifacts[i]</c> instead of being dropped silently when the run binds its expected
/// artifacts. The API and the UI's run form call the same check.
/// </summary>
public static class TriggerArtifactsShape
{
    public static IReadOnlyList<ValidationProblem> Check(JsonObject trigger)
    {
        var problems = new List<ValidationProblem>();
        switch (trigger["artifacts"])
        {
            case null:
                break;
            case JsonArray artifacts:
                for (var i = 0; i < artifacts.Count; i++)
                {
                    if (artifacts[i] is not JsonObject artifact)
                    {
                        problems.Add(new ValidationProblem($"artifacts[{i}]", "must be an artifact object {type, name, version, reference ...}"));
                    }
                    else if (artifact["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(type.GetValue<string>()))
                    {
                        problems.Add(new ValidationProblem($"artifacts[{i}].type", "required: every artifact has a type, e.g. docker/image"));
                    }
                    else
                    {
                        foreach (var field in new[] { "name", "version", "reference", "location", "artifactAccount" })
                        {
                            if (artifact[field] is { } value && (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String))
                            {
                                problems.Add(new ValidationProblem($"artifacts[{i}].{field}", "must be a string"));
                            }
                        }
                    }
                }

                break;
            default:
                problems.Add(new ValidationProblem("artifacts", "must be a list of artifacts ({type, name, version, reference ...})"));
                break;
        }

        switch (trigger["expectedArtifactIds"])
        {
            case null:
                break;
            case JsonArray ids:
                for (var i = 0; i < ids.Count; i++)
                {
                    if (ids[i] is not JsonValue id || id.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetValue<string>()))
                    {
                        problems.Add(new ValidationProblem($"expectedArtifactIds[{i}]", "must be the id of one of the pipeline's expectedArtifacts"));
                    }
                }

                break;
            default:
                problems.Add(new ValidationProblem("expectedArtifactIds", "must be a list of expected artifact ids"));
                break;
        }

        return problems;
    }

    /// <summary>Throws a <see cref="ValidationException"/> with every problem <see cref="Check"/> finds.</summary>
    public static void Ensure(JsonObject trigger)
    {
        var problems = Check(trigger);
        if (problems.Count > 0)
        {
            throw new ValidationException(problems);
        }
    }
}
