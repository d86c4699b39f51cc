using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>
/// clouddriver's <c>KubernetesDeployManifestOperation</c> on the REST API: sort by deploy priority, then per manifest bind artifacts,
/// version (reusing an unchanged version), annotate with the artifact and moniker, copy source capacity, declare and attach traffic,
/// and submit by the manifest's strategy — server-side apply by default (one request; field manager <c>mizzen</c>), create for
/// <c>generateName</c>, delete-then-apply for <c>recreate</c>, PUT-or-POST for <c>replace</c>. Existing versions and live replicas
/// are read from the account's cache, not the API. Every required artifact must bind.
/// </summary>
public static class ManifestDeployer
{
    public static async Task<DeployManifestResult> DeployAsync(KubernetesAccount account, DeployManifestRequest request, CancellationToken cancellationToken)
    {
        var prepared = new List<(KubernetesManifest Manifest, KubernetesKind Kind)>();
        for (var i = 0; i < request.Manifests.Count; i++)
        {
            var manifest = new KubernetesManifest((JsonObject)request.Manifests[i].DeepClone());
            var at = $"manifests[{i}]";
            if (manifest.ApiVersion.Length == 0 || manifest.Kind.Length == 0)
            {
                throw new ValidationException(at, "needs 'apiVersion' and 'kind'");
            }

            if (manifest.Name.Length == 0 && manifest.GenerateName is null)
            {
                throw new ValidationException($"{at}.metadata.name", $"{manifest.Kind} needs a name (or generateName)");
            }

            var kind = await account.Client.KindAsync(manifest.ApiVersion, manifest.Kind, cancellationToken);
            if (kind.Namespaced)
            {
                manifest.Namespace = request.NamespaceOverride ?? manifest.Namespace ?? account.DefaultNamespace;
            }
            else
            {
                manifest.Metadata.Remove("namespace");
            }

            account.EnsureAllowed(kind.Kind, manifest.Namespace, at);
            prepared.Add((manifest, kind));
        }

        // Candidates by clouddriver's key; the artifacts this deploy creates replace same-keyed ones, so later manifests bind to them.
        var candidates = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var artifact in request.RequiredArtifacts.Concat(request.OptionalArtifacts))
        {
            candidates.TryAdd(ArtifactBinder.Key(artifact), artifact);
        }

        var deployed = new List<JsonObject>();
        var created = new List<JsonObject>();
        var bound = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (manifest, kind) in prepared.OrderBy(p => p.Kind.DeployPriority))
        {
            foreach (var artifact in ArtifactBinder.Bind(manifest, candidates.Values, account.Name))
            {
                bound.TryAdd(ArtifactBinder.Key(artifact), artifact);
            }

            var artifactJson = await PrepareAsync(account, manifest, kind, request, cancellationToken);
            candidates[ArtifactBinder.Key(artifactJson)] = artifactJson;
            created.Add(artifactJson);
            var result = await SubmitAsync(account, manifest, cancellationToken);
            account.Cache.Upsert(result);
            deployed.Add(Redact(result));
        }

        var unbound = request.RequiredArtifacts.Where(a => !bound.ContainsKey(ArtifactBinder.Key(a))).ToList();
        if (unbound.Count > 0)
        {
            throw new ValidationException("requiredArtifacts",
                $"The following required artifacts could not be bound: {string.Join(", ", unbound.Select(a => $"{a["type"].AsString()} {a["name"].AsString()}"))}. " +
                "Check that the Docker image name above matches the name used in the image field of your manifest");
        }

        return new DeployManifestResult(deployed, created, [.. bound.Values]);
    }

    /// <summary>Versioning, artifact and moniker annotations, source capacity and traffic: the manifest as it will be submitted.</summary>
    private static async Task<JsonObject> PrepareAsync(KubernetesAccount account, KubernetesManifest manifest, KubernetesKind kind, DeployManifestRequest request, CancellationToken cancellationToken)
    {
        var baseName = manifest.Name;
        var versioned = ResourceVersioner.IsVersioned(manifest, kind, request.Versioned) && manifest.GenerateName is null;
        if (request.Strategy is "redblack" or "bluegreen"
            && (!int.TryParse(manifest.Annotation(KubernetesAnnotations.MaxVersionHistory), out var history) || history < 2)
            && kind.Kind == "ReplicaSet")
        {
            throw new ValidationException("trafficManagement.options.strategy", $"{manifest.FullName}: the {request.Strategy} strategy needs the annotation '{KubernetesAnnotations.MaxVersionHistory}' of at least 2");
        }

        if (request.Services.Count > 0 && kind.CanReceiveTraffic)
        {
            ServiceSelectorTraffic.DeclareLoadBalancers(manifest, request.Services);
        }

        if (request.EnableTraffic && kind.CanReceiveTraffic)
        {
            foreach (var service in ServiceSelectorTraffic.LoadBalancers(manifest))
            {
                var live = await account.Cache.GetAsync("Service", manifest.Namespace, service, cancellationToken)
                           ?? throw new ValidationException("trafficManagement.options.services", $"service {service} does not exist in namespace {manifest.Namespace} of account {account.Name}");
                ServiceSelectorTraffic.Attach(manifest, live);
            }
        }

        string version = "";
        int? sequence = null;
        var moniker = request.Moniker with { Cluster = request.Moniker.Cluster.Length > 0 ? request.Moniker.Cluster : $"{kind.SpinnakerName} {baseName}" };
        if (versioned)
        {
            // The hash is of the manifest as the user wrote it plus bindings and traffic: the same input reuses its version.
            var hash = ResourceVersioner.Hash(manifest);
            var existing = await account.Cache.ListAsync(kind.Kind, manifest.Namespace, cancellationToken);
            var (next, _) = ResourceVersioner.Next(baseName, hash, existing);
            version = ResourceVersioner.Format(next);
            sequence = next;
            manifest.Annotations[KubernetesAnnotations.ManifestHash] = hash;
            if (UseSourceCapacity(manifest, kind))
            {
                var latest = existing.Select(o => new KubernetesManifest(o)).Where(o => ResourceVersioner.ParseVersion(o.Name, baseName) is not null)
                    .MaxBy(o => ResourceVersioner.ParseVersion(o.Name, baseName));
                CopyReplicas(manifest, latest);
            }

            manifest.Name = $"{baseName}-{version}";
        }
        else if (UseSourceCapacity(manifest, kind) && manifest.Name.Length > 0)
        {
            var live = await account.Cache.GetAsync(kind.Kind, manifest.Namespace, manifest.Name, cancellationToken);
            CopyReplicas(manifest, live is null ? null : new KubernetesManifest(live));
        }

        var artifact = new JsonObject
        {
            ["type"] = $"kubernetes/{kind.SpinnakerName}",
            ["name"] = baseName,
            ["location"] = manifest.Namespace ?? "",
            ["version"] = version,
            ["reference"] = manifest.Name,
            ["metadata"] = new JsonObject { ["account"] = account.Name },
        };
        foreach (var (key, field) in new[] { (KubernetesAnnotations.ArtifactType, "type"), (KubernetesAnnotations.ArtifactName, "name"), (KubernetesAnnotations.ArtifactLocation, "location"), (KubernetesAnnotations.ArtifactVersion, "version") })
        {
            manifest.Annotations[key] = artifact[field].AsString();
            if (manifest.PodTemplate is { } template)
            {
                KubernetesManifest.Child(KubernetesManifest.Child(template, "metadata"), "annotations")[key] = artifact[field].AsString();
            }
        }

        MonikerNamer.Apply(manifest, moniker with { Sequence = sequence });
        return artifact;
    }

    private static async Task<JsonObject> SubmitAsync(KubernetesAccount account, KubernetesManifest manifest, CancellationToken cancellationToken)
    {
        var client = account.Client;
        if (manifest.GenerateName is not null && manifest.Name.Length == 0)
        {
            return await client.CreateAsync(manifest.Json, cancellationToken);
        }

        if (manifest.Annotation(KubernetesAnnotations.Recreate) == "true")
        {
            await client.DeleteAsync(manifest.Key(), PropagationPolicy.Background, cancellationToken);
            account.Cache.Remove(manifest.Kind, manifest.Namespace, manifest.Name);
        }

        if (manifest.Annotation(KubernetesAnnotations.Replace) == "true")
        {
            try
            {
                var current = await client.GetAsync(manifest.Key(), cancellationToken);
                if (current is not null)
                {
                    manifest.Metadata["resourceVersion"] = new KubernetesManifest(current).ResourceVersion;
                    return await client.ReplaceAsync(manifest.Json, cancellationToken);
                }
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                // gone between the read and the write: create it
            }

            manifest.Metadata.Remove("resourceVersion");
            return await client.CreateAsync(manifest.Json, cancellationToken);
        }

        return await client.ApplyAsync(manifest.Json, cancellationToken);
    }

    private static bool UseSourceCapacity(KubernetesManifest manifest, KubernetesKind kind) =>
        kind.CanScale && manifest.Annotation(KubernetesAnnotations.UseSourceCapacity) == "true";

    private static void CopyReplicas(KubernetesManifest manifest, KubernetesManifest? source)
    {
        if (source?.Spec?["replicas"] is { } replicas && manifest.Spec is { } spec)
        {
            spec["replicas"] = replicas.DeepClone();
        }
    }

    /// <summary>Outputs never carry a Secret's data (clouddriver strips it too).</summary>
    private static JsonObject Redact(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["kind"].AsString() == "Secret")
        {
            copy.Remove("data");
            copy.Remove("stringData");
        }

        return copy;
    }
}
