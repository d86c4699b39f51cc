using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages;

/// <summary>
/// What a manifest stage acts on (Deck's three modes): <c>manifestName</c> <c>"kind name"</c> in <c>location</c> (static);
/// <c>cluster</c> + <c>criteria</c> (<c>newest</c>, <c>second_newest</c>, <c>oldest</c>, <c>largest</c>, <c>smallest</c>) with
/// <c>kind</c> (dynamic, from the cache); or <c>kinds</c> + <c>labelSelectors</c> (by label, listed from the API).
/// </summary>
public static class ManifestTargets
{
    public static readonly IReadOnlyList<string> Criteria = ["newest", "second_newest", "oldest", "largest", "smallest"];

    public static async Task<IReadOnlyList<ResourceKey>> ResolveAsync(TaskContext task, KubernetesAccount account, CancellationToken cancellationToken)
    {
        var context = task.Context;
        var ns = ManifestStageContext.Location(context) ?? account.DefaultNamespace;
        if (LabelSelector(context) is { } selector)
        {
            var kinds = (context["kinds"] as JsonArray ?? []).Select(k => k.AsString()).OfType<string>().ToList();
            if (kinds.Count == 0)
            {
                throw new ValidationException("kinds", "deleting by label needs the kinds to delete, e.g. [\"deployment\", \"service\"]");
            }

            var keys = new List<ResourceKey>();
            foreach (var kindName in kinds)
            {
                var kind = KubernetesKinds.Find(kindName) ?? throw new ValidationException("kinds", $"unknown kind '{kindName}'");
                account.EnsureAllowed(kind.Kind, ns, "location");
                var list = await account.Client.ListAsync(kind.ApiVersion, kind.Kind, kind.Namespaced ? ns : null, selector, cancellationToken: cancellationToken);
                keys.AddRange(list.Items.Select(i => new KubernetesManifest(i).Key()));
            }

            return keys;
        }

        if (string.Equals(context["mode"].AsString(), "dynamic", StringComparison.OrdinalIgnoreCase) || (context["manifestName"].AsString() is null or { Length: 0 } && context["cluster"].AsString() is { Length: > 0 }))
        {
            return [await DynamicAsync(context, account, ns, cancellationToken)];
        }

        var (knownKind, name) = ManifestStageContext.ParseManifestName(context["manifestName"].AsString(), "manifestName");
        account.EnsureAllowed(knownKind.Kind, ns, "location");
        return [new ResourceKey(knownKind.ApiVersion, knownKind.Kind, knownKind.Namespaced ? ns : null, name)];
    }

    /// <summary>Deck's <c>labelSelectors: {selectors: [{key, kind: EQUALS|NOT_EQUALS|CONTAINS|NOT_CONTAINS|EXISTS|NOT_EXISTS, values}]}</c> as a Kubernetes selector; null when none.</summary>
    public static string? LabelSelector(JsonObject context)
    {
        var node = context["labelSelectors"];
        if (node.AsString() is { Length: > 0 } text)
        {
            return text;
        }

        var selectors = (node?["selectors"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (selectors.Count == 0)
        {
            return null;
        }

        return string.Join(',', selectors.Select((s, i) =>
        {
            var key = s["key"].AsString() ?? throw new ValidationException($"labelSelectors.selectors[{i}].key", "required");
            var values = (s["values"] as JsonArray ?? []).Select(v => v.AsString()).OfType<string>().ToList();
            return (s["kind"].AsString() ?? "EQUALS").ToUpperInvariant() switch
            {
                "EQUALS" => $"{key}={values.Single()}",
                "NOT_EQUALS" => $"{key}!={values.Single()}",
                "CONTAINS" => $"{key} in ({string.Join(',', values)})",
                "NOT_CONTAINS" => $"{key} notin ({string.Join(',', values)})",
                "EXISTS" => key,
                "NOT_EXISTS" => $"!{key}",
                var other => throw new ValidationException($"labelSelectors.selectors[{i}].kind", $"unknown selector kind '{other}' (EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS, EXISTS, NOT_EXISTS)"),
            };
        }));
    }

    private static async Task<ResourceKey> DynamicAsync(JsonObject context, KubernetesAccount account, string ns, CancellationToken cancellationToken)
    {
        var cluster = context["cluster"].AsString() ?? throw new ValidationException("cluster", "required with mode 'dynamic': e.g. \"replicaSet frontend\"");
        var criteria = (context["criteria"].AsString() ?? "newest").ToLowerInvariant();
        var kindName = context["kind"].AsString() ?? cluster.Split(' ')[0];
        var kind = KubernetesKinds.Find(kindName) ?? throw new ValidationException("kind", $"unknown kind '{kindName}'");
        var app = context["app"].AsString() ?? context["application"].AsString() ?? context["moniker"]?["app"].AsString();
        var members = (await account.Cache.ListAsync(kind.Kind, ns, cancellationToken))
            .Select(o => new KubernetesManifest(o))
            .Where(m => KubernetesMoniker.Of(m) is var moniker && moniker.Cluster == cluster && (app is null || moniker.App == app))
            .ToList();
        IEnumerable<KubernetesManifest> ordered = criteria switch
        {
            "newest" or "second_newest" => members.OrderByDescending(m => m.CreationTimestamp).ThenByDescending(m => m.Name, StringComparer.Ordinal),
            "oldest" => members.OrderBy(m => m.CreationTimestamp).ThenBy(m => m.Name, StringComparer.Ordinal),
            "largest" => members.OrderByDescending(m => m.Spec?["replicas"].AsLong() ?? 0),
            "smallest" => members.OrderBy(m => m.Spec?["replicas"].AsLong() ?? 0),
            _ => throw new ValidationException("criteria", $"unknown criteria '{criteria}' (one of: {string.Join(", ", Criteria)})"),
        };
        var target = ordered.Skip(criteria == "second_newest" ? 1 : 0).FirstOrDefault()
                     ?? throw new NotFoundException($"cluster '{cluster}' in namespace {ns} of account {account.Name} has no {criteria.Replace('_', ' ')} {kind.SpinnakerName}");
        return target.Key();
    }
}
