using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;
using Mizzen.Providers.Kubernetes.Stages.DeployManifest;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// Sends one PATCH (<c>kubectl patch --type strategic|merge|json</c>) with the body bound to the run's artifacts, and outputs the
/// patched manifest and <c>manifestNamesByNamespace</c> for the stability wait.
/// </summary>
public sealed class PatchManifestTask(KubernetesAccounts accounts, ManifestSource source) : ITask
{
    public async Task<TaskResult> ExecuteAsync(TaskContext context, CancellationToken cancellationToken)
    {
        try
        {
            var target = await ManifestTarget.ResolveAsync(context, accounts, cancellationToken);
            var type = PatchTypes.FromMergeStrategy(context.Context["options"]?["mergeStrategy"].AsString())
                       ?? throw new ValidationException("options.mergeStrategy", "must be strategic, merge or json");
            var body = await BodyAsync(context, type, cancellationToken);
            var bound = new List<JsonObject>();
            if (type != PatchType.Json)
            {
                var (required, all) = RequiredArtifacts.Of(context);
                bound.AddRange(Bind((JsonObject)body, target, all));
                if (RequiredArtifacts.Unbound(required, bound) is { } unbound)
                {
                    return TaskResult.Terminal(unbound);
                }
            }

            var patched = await target.Account.Client.PatchAsync(target.Key, type, body, cancellationToken);
            target.Account.Cache.Upsert(patched);
            var outputs = target.Outputs(patched);
            outputs["boundArtifacts"] = new JsonArray([.. bound.Select(a => (JsonNode?)a.DeepClone())]);
            outputs["outputs.boundArtifacts"] = outputs["boundArtifacts"]!.DeepClone();
            return TaskResult.Succeeded((JsonObject)outputs.DeepClone(), outputs);
        }
        catch (MizzenException e) when (!e.IsTransient)
        {
            return TaskResult.Terminal($"patchManifest: {e.Message}");
        }
    }

    private async Task<JsonNode> BodyAsync(TaskContext context, PatchType type, CancellationToken cancellationToken)
    {
        if (type != PatchType.Json && ManifestSource.IsArtifactSource(context.Context) && context.Context["patchBody"] is null)
        {
            var manifests = await source.ResolveAsync(context, cancellationToken);
            return manifests.Count == 1 ? manifests[0] : throw new ValidationException("manifestArtifactId", $"a patch is one document; the artifact holds {manifests.Count}");
        }

        return context.Context["patchBody"] switch
        {
            JsonArray list when type == PatchType.Json => list.DeepClone(),
            JsonObject obj when type != PatchType.Json => obj.DeepClone(),
            JsonArray { Count: 1 } single when type != PatchType.Json && single[0] is JsonObject only => only.DeepClone(),
            null => throw new ValidationException("patchBody", "is required"),
            _ => throw new ValidationException("patchBody", type == PatchType.Json ? "must be a list of RFC 6902 operations" : "must be a partial manifest (an object)"),
        };
    }

    /// <summary>
    /// Binds artifacts in a partial manifest: the binder reads kind and namespace to find pod templates and scope kubernetes/* artifacts,
    /// so they are set on a working copy and the body keeps only what the user wrote.
    /// </summary>
    private static IReadOnlyList<JsonObject> Bind(JsonObject body, ManifestTarget target, IReadOnlyList<JsonObject> artifacts)
    {
        var hadKind = body.ContainsKey("kind");
        var hadApiVersion = body.ContainsKey("apiVersion");
        var hadMetadata = body["metadata"] is JsonObject;
        var hadNamespace = body["metadata"]?["namespace"] is not null;
        body["kind"] ??= target.Kind.Kind;
        body["apiVersion"] ??= target.Kind.ApiVersion;
        var manifest = new KubernetesManifest(body);
        manifest.Metadata["namespace"] ??= target.Namespace;
        var bound = ArtifactBinder.Bind(manifest, artifacts, target.Account.Name);
        if (!hadKind)
        {
            body.Remove("kind");
        }

        if (!hadApiVersion)
        {
            body.Remove("apiVersion");
        }

        if (!hadMetadata)
        {
            body.Remove("metadata");
        }
        else if (!hadNamespace)
        {
            ((JsonObject)body["metadata"]!).Remove("namespace");
        }

        return bound;
    }
}
