using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages.ServerGroups;

namespace Mizzen.Orchestration.Stages.RunJob;

/// <summary>
/// <c>runJob</c>: <c>account</c>/<c>credentials</c>, <c>cloudProvider</c>, <c>bundle</c> (path or URL) or <c>artifact</c>, <c>command</c>,
/// <c>args</c>, <c>env</c>, <c>timeout</c> (seconds, default 600). Runs the job to completion; outputs <c>jobStatus{jobId, exitCode,
/// timedOut}</c>, <c>logs</c> (the last 64 KiB), <c>propertyFileContents</c> and each property (from <c>SPINNAKER_PROPERTY_*</c> and
/// <c>SPINNAKER_CONFIG_JSON</c> lines) as a top-level output. A non-zero exit or a timeout makes the stage TERMINAL.
/// </summary>
public sealed class RunJobStage : IStageDefinition
{
    public const string StageType = "runJob";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<RunJobTask>("runJob");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        foreach (var problem in TargetStageValidation.Account(stageConfig, path, StageType))
        {
            yield return problem;
        }

        if (StageConfigChecks.IsMissing(stageConfig["bundle"]) && stageConfig["artifact"] is not JsonObject)
        {
            yield return new ValidationProblem($"{path}.bundle", "required for a 'runJob' stage unless 'artifact' is given: the job's bundle path or URL");
        }

        foreach (var problem in StageConfigChecks.OptionalSeconds(stageConfig, path, "timeout"))
        {
            yield return problem;
        }
    }
}
