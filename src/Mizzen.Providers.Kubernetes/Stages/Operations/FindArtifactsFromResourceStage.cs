using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// <c>findArtifactsFromResource</c>: reads <c>manifestName</c> in <c>location</c> and outputs it as <c>manifest</c> with
/// <c>artifacts</c>: its images (<c>docker/image</c>), and the ConfigMaps and Secrets its pods use (<c>kubernetes/configMap</c>,
/// <c>kubernetes/secret</c>, with the <c>-vNNN</c> version split off as Spinnaker's deploy records it) — what clouddriver's artifact
/// replacers find. Orca tries 5 times, 1 s apart, before it gives up on a manifest that is not there yet.
/// </summary>
public sealed class FindArtifactsFromResourceStage : IStageDefinition
{
    public const string StageType = "findArtifactsFromResource";

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => tasks.Add<FindArtifactsFromResourceTask>("findArtifactsFromResource");

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path) => ManifestTarget.Validate(stageConfig, path, StageType);
}

public sealed partial class FindArtifactsFromResourceTask(KubernetesAccounts accounts) : ITask
{
    private const string AttemptsKey = "findArtifactsAttempts";
    private const int MaxAttempts = 5;

    public TimeSpan Backoff(TaskContext context) => TimeSpan.FromSeconds(1);

    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var target = await ManifestTarget.ResolveAsync(context, accounts, cancellationToken);
            var live = await target.Account.Client.GetAsync(target.Key, cancellationToken);
            if (live is null)
            {
                var attempts = (int)(context.Stage.Context[AttemptsKey].AsLong() ?? 0) + 1;
                return attempts < MaxAttempts
                    ? TaskResult.Running(new JsonObject { [AttemptsKey] = attempts })
                    : TaskResult.Terminal($"findArtifactsFromResource: {target} does not exist (tried {MaxAttempts} times)");
            }

            var artifacts = Find(new KubernetesManifest(live), target.Account.Name);
            var outputs = new JsonObject
            {
                ["manifest"] = ManifestTarget.Redacted(live),
                ["artifacts"] = new JsonArray([.. artifacts.Select(a => (JsonNode?)a)]),
            };
            return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"findArtifactsFromResource: {e.Message}");
        }
    }

    /// <summary>The artifacts a manifest uses, each once, in the order they appear.</summary>
    internal static IReadOnlyList<JsonObject> Find(KubernetesManifest manifest, string account)
    {
        var found = new List<JsonObject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(JsonObject artifact)
        {
            if (seen.Add($"{artifact["type"].AsString()}|{artifact["reference"].AsString()}"))
            {
                found.Add(artifact);
            }
        }

        foreach (var container in Containers(manifest))
        {
            if (container["image"].AsString() is { Length: > 0 } image)
            {
                Add(new JsonObject { ["type"] = ArtifactBinder.DockerImage, ["name"] = ArtifactBinder.ImageName(image), ["reference"] = image });
            }
        }

        foreach (var (type, reference) in References(manifest))
        {
            var match = VersionSuffix().Match(reference);
            var artifact = new JsonObject
            {
                ["type"] = type,
                ["name"] = match.Success ? reference[..match.Index] : reference,
                ["reference"] = reference,
                ["location"] = manifest.Namespace,
                ["metadata"] = new JsonObject { ["account"] = account },
            };
            if (match.Success)
            {
                artifact["version"] = match.Value[1..];
            }

            Add(artifact);
        }

        return found;
    }

    private static IEnumerable<JsonObject> Containers(KubernetesManifest manifest) =>
        (manifest.PodSpec is { } spec ? new[] { "initContainers", "containers" }.SelectMany(f => (spec[f] as JsonArray ?? []).OfType<JsonObject>()) : []);

    private static IEnumerable<(string Type, string Reference)> References(KubernetesManifest manifest)
    {
        var spec = manifest.PodSpec;
        foreach (var volume in (spec?["volumes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (volume["configMap"]?["name"].AsString() is { } cm)
            {
                yield return (ArtifactBinder.ConfigMap, cm);
            }

            if (volume["secret"]?["secretName"].AsString() is { } secret)
            {
                yield return (ArtifactBinder.Secret, secret);
            }

            foreach (var source in (volume["projected"]?["sources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (source["configMap"]?["name"].AsString() is { } pcm)
                {
                    yield return (ArtifactBinder.ConfigMap, pcm);
                }

                if (source["secret"]?["name"].AsString() is { } ps)
                {
                    yield return (ArtifactBinder.Secret, ps);
                }
            }
        }

        foreach (var container in Containers(manifest))
        {
            foreach (var from in (container["envFrom"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (from["configMapRef"]?["name"].AsString() is { } cm)
                {
                    yield return (ArtifactBinder.ConfigMap, cm);
                }

                if (from["secretRef"]?["name"].AsString() is { } secret)
                {
                    yield return (ArtifactBinder.Secret, secret);
                }
            }

            foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (env["valueFrom"]?["configMapKeyRef"]?["name"].AsString() is { } cm)
                {
                    yield return (ArtifactBinder.ConfigMap, cm);
                }

                if (env["valueFrom"]?["secretKeyRef"]?["name"].AsString() is { } secret)
                {
                    yield return (ArtifactBinder.Secret, secret);
                }
            }
        }
    }

    [GeneratedRegex(@"-v\d{3,}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();
}
