using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.FindArtifactFromExecution;

/// <summary>
/// <c>findArtifactFromExecution</c> (Orca's FindArtifactFromExecutionStage): binds expected artifacts to what the latest run of another
/// pipeline received or produced. Context: <c>application</c>, <c>pipeline</c> (its config id, or its name in that application),
/// <c>executionOptions</c> <c>{successful, terminal, running}</c> (which runs count; none set: any), <c>expectedArtifacts</c> (or the
/// older single <c>expectedArtifact</c>). Outputs <c>resolvedExpectedArtifacts</c> (each with its <c>boundArtifact</c>) and
/// <c>artifacts</c>, so a downstream stage binds them by <c>expectedArtifactId</c>. No such run, or an expected artifact it cannot
/// bind, fails the stage naming the pipeline and the artifact.
/// </summary>
public sealed class FindArtifactFromExecutionStage : IStageDefinition
{
    public const string StageType = "findArtifactFromExecution";

    public static readonly IReadOnlyList<string> ExecutionOptionNames = ["successful", "terminal", "running"];

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<FindArtifactFromExecutionTask>("findArtifactFromExecution");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in StageConfigChecks.RequireString(stageConfig, path, "pipeline", StageType))
        {
            yield return problem;
        }

        if (stageConfig["application"] is { } application && (application is not JsonValue value || value.GetValueKind() != JsonValueKind.String))
        {
            yield return new ValidationProblem($"{path}.application", "must be a string");
        }

        if (stageConfig["executionOptions"] is { } options)
        {
            if (options is not JsonObject optionsObject)
            {
                yield return new ValidationProblem($"{path}.executionOptions", "must be an object {successful, terminal, running} of booleans");
            }
            else
            {
                foreach (var (name, flag) in optionsObject)
                {
                    if (!ExecutionOptionNames.Contains(name))
                    {
                        yield return new ValidationProblem($"{path}.executionOptions.{name}", $"unknown option (one of: {string.Join(", ", ExecutionOptionNames)})");
                    }
                    else if (flag is not null && flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) && !StageConfigChecks.IsExpression(flag))
                    {
                        yield return new ValidationProblem($"{path}.executionOptions.{name}", "must be true or false");
                    }
                }
            }
        }

        var (expected, field) = FindArtifactFromExecutionTask.ExpectedArtifacts(stageConfig);
        if (expected.Count == 0)
        {
            yield return new ValidationProblem($"{path}.expectedArtifacts", $"required for a '{StageType}' stage: the artifacts to find (each with a matchArtifact)");
            yield break;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var at = field == "expectedArtifact" ? $"{path}.expectedArtifact" : $"{path}.expectedArtifacts[{i}]";
            if (expected[i] is not JsonObject artifact)
            {
                yield return new ValidationProblem(at, "must be an expected artifact object {id, matchArtifact}");
            }
            else if (artifact["matchArtifact"] is not JsonObject)
            {
                yield return new ValidationProblem($"{at}.matchArtifact", "required: the artifact to look for, e.g. {\"type\": \"docker/image\", \"name\": \"gcr.io/p/app\"}");
            }
            else if (StageConfigChecks.IsMissing(artifact["id"]))
            {
                yield return new ValidationProblem($"{at}.id", "required: downstream stages bind the found artifact by this id");
            }
        }
    }
}
