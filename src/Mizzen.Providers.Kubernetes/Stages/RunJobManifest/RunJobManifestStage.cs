using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;

namespace Mizzen.Providers.Kubernetes.Stages.RunJobManifest;

/// <summary>
/// <c>runJobManifest</c> (Deck's "Run Job (Manifest)", orca's runJob with <c>cloudProvider: kubernetes</c>): <c>account</c>,
/// <c>manifest</c> (one <c>kind: Job</c>; or <c>source: artifact</c> with <c>manifestArtifactId</c>), <c>application</c>,
/// <c>consumeArtifactSource</c> (<c>propertyFile</c> with <c>propertyFile</c> naming the container whose log holds the
/// <c>SPINNAKER_PROPERTY_*</c> / <c>SPINNAKER_CONFIG_JSON</c> lines, or <c>"configMap NAME"</c> for a ConfigMap the job wrote;
/// <c>artifact</c> with <c>consumeArtifactId</c> for a JSON artifact). A Job with <c>metadata.generateName</c> gets a new name per run;
/// one with a fixed name is recreated (clouddriver forces <c>strategy.spinnaker.io/recreate</c>: Jobs are immutable). Cancelling the
/// stage deletes the Job and its pods; a finished Job is left for its logs (Spinnaker never collects Jobs: set
/// <c>spec.ttlSecondsAfterFinished</c> to have Kubernetes do it).
/// </summary>
public sealed class RunJobManifestStage(KubernetesAccounts accounts) : IStageDefinition
{
    public const string StageType = "runJobManifest";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        tasks.Add<RunJobManifestTask>("runJob");
        tasks.Add<WaitOnJobCompletionTask>("waitOnJobCompletion");
    }

    public void PrepareForRestart(StageExecution stage)
    {
        foreach (var key in JobContext.Keys)
        {
            stage.Context.Remove(key);
        }
    }

    public async Task CancelAsync(PipelineExecution execution, StageExecution stage, CancellationToken cancellationToken)
    {
        if (JobContext.Started(stage.Context) is not { } job || stage.Context[JobContext.JobStatusKey] is JsonObject || !accounts.TryGet(job.Account, out var account))
        {
            return;
        }

        await account.Client.DeleteAsync(job.Key, PropagationPolicy.Background, cancellationToken);
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        if (CloudStageContext.Account(stageConfig) is null)
        {
            yield return new ValidationProblem($"{path}.account", $"required for a '{StageType}' stage: the kubernetes account");
        }

        var fromArtifact = string.Equals(stageConfig["source"].AsString(), "artifact", StringComparison.OrdinalIgnoreCase);
        if (!fromArtifact)
        {
            var manifest = stageConfig["manifest"] as JsonObject ?? (stageConfig["manifests"] as JsonArray)?.FirstOrDefault() as JsonObject;
            if (manifest is null)
            {
                yield return new ValidationProblem($"{path}.manifest", $"required for a '{StageType}' stage: a Job manifest (or source 'artifact' with manifestArtifactId)");
            }
            else if (manifest["kind"].AsString() is { } kind && kind != "Job" && !kind.Contains("${", StringComparison.Ordinal))
            {
                yield return new ValidationProblem($"{path}.manifest.kind", $"a '{StageType}' stage runs a Job, not a {kind}");
            }
        }
        else if (stageConfig["manifestArtifactId"] is null && stageConfig["manifestArtifact"] is not JsonObject)
        {
            yield return new ValidationProblem($"{path}.manifestArtifactId", "required when source is 'artifact'");
        }

        switch (stageConfig["consumeArtifactSource"].AsString()?.ToLowerInvariant())
        {
            case null or "" or "none":
                break;
            case "propertyfile":
                if (string.IsNullOrWhiteSpace(stageConfig["propertyFile"].AsString()))
                {
                    yield return new ValidationProblem($"{path}.propertyFile", "required when consumeArtifactSource is 'propertyFile': the container whose log holds the properties, or \"configMap NAME\"");
                }

                break;
            case "artifact":
                if (string.IsNullOrWhiteSpace(stageConfig["consumeArtifactId"].AsString()))
                {
                    yield return new ValidationProblem($"{path}.consumeArtifactId", "required when consumeArtifactSource is 'artifact': the expected artifact holding a JSON object");
                }

                break;
            case var other:
                yield return new ValidationProblem($"{path}.consumeArtifactSource", $"'{other}' is not a source: propertyFile, artifact or none");
                break;
        }
    }
}
