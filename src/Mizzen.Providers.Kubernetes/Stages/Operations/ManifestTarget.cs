using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Api;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.Operations;

/// <summary>
/// The one manifest an operation stage (patch, scale, undo rollout, rolling restart, enable, disable, find artifacts) acts on:
/// <c>account</c>, <c>manifestName</c> (<c>"deployment web"</c>) and <c>location</c> (the namespace; default the account's).
/// </summary>
internal sealed record ManifestTarget(KubernetesAccount Account, KubernetesKind Kind, string Namespace, string Name)
{
    public ResourceKey Key => new(Kind.ApiVersion, Kind.Kind, Kind.Namespaced ? Namespace : null, Name);

    public string FullName => $"{Kind.SpinnakerName} {Name}";

    public override string ToString() => $"{FullName} in {Namespace} (account {Account.Name})";

    /// <summary>
    /// The target: <c>manifestName</c> in <c>location</c>, or with <c>mode: dynamic</c> the <c>cluster</c>'s member chosen by
    /// <c>criteria</c> (newest, second_newest, oldest, largest, smallest) from the account's cache, as deleteManifest resolves it.
    /// </summary>
    public static async Task<ManifestTarget> ResolveAsync(TaskContext task, KubernetesAccounts accounts, CancellationToken cancellationToken)
    {
        var account = ManifestStageContext.Account(task, accounts);
        var ns = ManifestStageContext.Location(task.Context) ?? account.DefaultNamespace;
        if (IsDynamic(task.Context))
        {
            var key = (await ManifestTargets.ResolveAsync(task, account, cancellationToken))[0];
            var found = KubernetesKinds.Find(key.Kind) ?? throw new ValidationException("kind", $"unknown kind '{key.Kind}'");
            return new ManifestTarget(account, found, key.Namespace ?? ns, key.Name);
        }

        var (kind, name) = ManifestStageContext.ParseManifestName(task.Context["manifestName"].AsString(), "manifestName");
        account.EnsureAllowed(kind.Kind, ns, "location");
        return new ManifestTarget(account, kind, ns, name);
    }

    private static bool IsDynamic(JsonObject context) =>
        string.Equals(context["mode"].AsString(), "dynamic", StringComparison.OrdinalIgnoreCase)
        || (string.IsNullOrWhiteSpace(context["manifestName"].AsString()) && !string.IsNullOrWhiteSpace(context["cluster"].AsString()));

    /// <summary>The live object, or a not-found error naming it (operations never create what they were asked to change).</summary>
    public async Task<JsonObject> GetAsync(CancellationToken cancellationToken) =>
        await Account.Client.GetAsync(Key, cancellationToken)
        ?? throw new NotFoundException($"{this} does not exist");

    /// <summary>What the stage outputs so <c>waitForManifestStable</c> and later stages find the manifest (Spinnaker's keys).</summary>
    public JsonObject Outputs(JsonObject? manifest = null)
    {
        var names = ManifestStageContext.NamesByNamespace([(Namespace, FullName)]);
        var outputs = new JsonObject
        {
            [ManifestStageContext.ManifestNamesByNamespaceKey] = names.DeepClone(),
            ["manifestNamesByNamespace"] = names,
            ["deploy.account.name"] = Account.Name,
        };
        if (manifest is not null)
        {
            outputs["manifest"] = Redacted(manifest);
        }

        return outputs;
    }

    /// <summary>A copy without what must not reach the stage context: a Secret's data.</summary>
    public static JsonObject Redacted(JsonObject manifest)
    {
        var copy = (JsonObject)manifest.DeepClone();
        if (copy["kind"].AsString() == "Secret")
        {
            copy.Remove("data");
            copy.Remove("stringData");
        }

        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    /// <summary>The key of an object of a kind in the table (Service, Pod, ConfigMap ...) in a namespace.</summary>
    public static ResourceKey CoreKey(string kind, string ns, string name) => new(KubernetesKinds.Find(kind)!.ApiVersion, kind, ns, name);

    /// <summary>Checks a stage config for the target fields, naming each wrong field.</summary>
    public static IEnumerable<ValidationProblem> Validate(JsonObject config, string path, string stageType)
    {
        if (CloudStageContext.Account(config) is null)
        {
            yield return new ValidationProblem($"{path}.account", $"required for a '{stageType}' stage: the kubernetes account");
        }

        if (IsDynamic(config))
        {
            if (string.IsNullOrWhiteSpace(config["cluster"].AsString()))
            {
                yield return new ValidationProblem($"{path}.cluster", "required with mode 'dynamic': the cluster, e.g. \"replicaSet frontend\"");
            }

            if (config["criteria"].AsString() is { Length: > 0 } criteria && !criteria.Contains("${", StringComparison.Ordinal)
                && !ManifestTargets.Criteria.Contains(criteria.ToLowerInvariant()))
            {
                yield return new ValidationProblem($"{path}.criteria", $"unknown criteria '{criteria}' (one of: {string.Join(", ", ManifestTargets.Criteria)})");
            }

            yield break;
        }

        var name = config["manifestName"].AsString();
        if (string.IsNullOrWhiteSpace(name))
        {
            yield return new ValidationProblem($"{path}.manifestName", $"required for a '{stageType}' stage: \"<kind> <name>\" such as \"deployment web\"");
        }
        else if (!name.Contains("${", StringComparison.Ordinal))
        {
            var parts = name.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                yield return new ValidationProblem($"{path}.manifestName", $"must be \"<kind> <name>\" such as \"deployment web\", got '{name}'");
            }
            else if (KubernetesKinds.Find(parts[0]) is null)
            {
                yield return new ValidationProblem($"{path}.manifestName", $"unknown kind '{parts[0]}'");
            }
        }
    }
}
