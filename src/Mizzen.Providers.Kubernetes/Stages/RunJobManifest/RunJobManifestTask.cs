using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;
using Mizzen.Providers.Kubernetes.Stages.DeployManifest;
using Mizzen.Providers.Kubernetes.Stages.Operations;

namespace Mizzen.Providers.Kubernetes.Stages.RunJobManifest;

/// <summary>
/// Creates the stage's Job: moniker annotations, images bound to the run's artifacts, a per-run name for <c>generateName</c>, and a
/// recreate (delete, then create) for a fixed name. A redelivered message finds the Job it created (marked with the run) and
/// leaves it; a fixed-name Job still being deleted makes the task try again.
/// </summary>
public sealed class RunJobManifestTask(KubernetesAccounts accounts, ManifestSource source) : ITask
{
    /// <summary>Marks a Job with the run, stage and stage start that created it, so a retry of the same start does not recreate it.</summary>
    public const string RunAnnotation = "deploy.mizzen.io/run";

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(2);

    public TimeSpan? Timeout(TaskContext context) => TimeSpan.FromMinutes(5);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var account = ManifestStageContext.Account(context, accounts);
            var manifests = await source.ResolveAsync(context, cancellationToken);
            if (manifests.Count != 1 || manifests[0]["kind"].AsString() != "Job")
            {
                throw new ValidationException("manifest", $"a runJobManifest stage runs exactly one Job; got {string.Join(", ", manifests.Select(m => m["kind"].AsString() ?? "?"))}");
            }

            var job = new KubernetesManifest((JsonObject)manifests[0].DeepClone());
            var ns = job.Namespace ?? ManifestStageContext.Location(context.Context) ?? account.DefaultNamespace;
            job.Metadata["namespace"] = ns;
            account.EnsureAllowed("Job", ns, "manifest.metadata.namespace");
            var application = ManifestStageContext.Application(context);
            var run = $"{context.Execution.Id}/{context.Stage.Id}/{context.Stage.StartTime ?? 0}";
            if (job.GenerateName is { Length: > 0 } generateName)
            {
                job.Metadata["name"] = JobContext.GeneratedName(generateName, context.Execution, context.Stage);
                job.Metadata.Remove("generateName");
            }
            else if (string.IsNullOrEmpty(job.Metadata["name"].AsString()))
            {
                throw new ValidationException("manifest.metadata.name", "a Job needs metadata.name or metadata.generateName");
            }

            job.AnnotateIfAbsent(KubernetesAnnotations.Application, application);
            job.AnnotateIfAbsent(KubernetesAnnotations.Cluster, $"job {job.Name}");
            job.Annotations[KubernetesAnnotations.Recreate] = "true";
            job.Annotations[RunAnnotation] = run;
            job.Labels[KubernetesAnnotations.ManagedByLabel] = KubernetesAnnotations.ManagedByValue;

            var (required, all) = RequiredArtifacts.Of(context);
            var bound = ArtifactBinder.Bind(job, all, account.Name);
            if (RequiredArtifacts.Unbound(required, bound) is { } unbound)
            {
                return TaskResult.Terminal(unbound);
            }

            var key = job.Key();
            if (await account.Client.GetAsync(key, cancellationToken) is { } existing)
            {
                if (new KubernetesManifest(existing).Annotation(RunAnnotation) != run)
                {
                    await account.Client.DeleteAsync(key, PropagationPolicy.Background, cancellationToken);
                    return TaskResult.Running(new JsonObject { ["jobRecreating"] = job.Name });
                }

                return Started(account, job, existing, bound);
            }

            try
            {
                var created = await account.Client.CreateAsync(job.Json, cancellationToken);
                account.Cache.Upsert(created);
                return Started(account, job, created, bound);
            }
            catch (KubernetesApiException e) when (e.IsConflict)
            {
                return TaskResult.Running(new JsonObject { ["jobRecreating"] = job.Name }); // the old Job is still being deleted
            }
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"runJobManifest: {e.Message}");
        }
    }

    private static TaskResult Started(KubernetesAccount account, KubernetesManifest job, JsonObject live, IReadOnlyList<JsonObject> bound)
    {
        var ns = job.Namespace!;
        var names = ManifestStageContext.NamesByNamespace([(ns, $"job {job.Name}")]);
        var outputs = new JsonObject
        {
            [JobContext.DeployJobsKey] = new JsonObject { [ns] = new JsonArray(job.Name) },
            [JobContext.JobNameKey] = job.Name,
            [JobContext.JobAccountKey] = account.Name,
            [ManifestStageContext.ManifestNamesByNamespaceKey] = names.DeepClone(),
            ["manifestNamesByNamespace"] = names,
            ["manifest"] = ManifestTarget.Redacted(live),
            ["boundArtifacts"] = new JsonArray([.. bound.Select(a => (JsonNode?)a.DeepClone())]),
        };
        return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
    }
}
