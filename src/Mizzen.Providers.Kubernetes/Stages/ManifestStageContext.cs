using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Stages.ServerGroups;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages;

/// <summary>
/// The fields the manifest stages share, as Spinnaker names them: <c>account</c> (or <c>credentials</c>), <c>location</c> or
/// <c>namespace</c>, <c>manifestName</c> (<c>"kind name"</c>), <c>moniker</c> {app, cluster, stack, detail}, <c>app</c>/<c>application</c>.
/// </summary>
public static class ManifestStageContext
{
    public const string ManifestNamesByNamespaceKey = "outputs.manifestNamesByNamespace";

    /// <summary>The stage's account, or a validation error naming the field and the configured accounts.</summary>
    public static KubernetesAccount Account(TaskContext task, KubernetesAccounts accounts)
    {
        var name = CloudStageContext.Account(task.Context)
                   ?? throw new ValidationException("account", $"stage '{task.Stage.Name}' needs 'account': one of {string.Join(", ", accounts.Names)}");
        try
        {
            return accounts.Get(name);
        }
        catch (NotFoundException e)
        {
            throw new ValidationException("account", e.Message);
        }
    }

    /// <summary>The application: <c>moniker.app</c>, <c>app</c>, <c>application</c>, else the pipeline's.</summary>
    public static string Application(TaskContext task) =>
        CloudStageContext.NonEmpty(task.Context["moniker"]?["app"].AsString())
        ?? CloudStageContext.NonEmpty(task.Context["app"].AsString())
        ?? CloudStageContext.NonEmpty(task.Context["application"].AsString())
        ?? task.Execution.Application;

    public static string? NonEmpty(string? value) => CloudStageContext.NonEmpty(value);

    /// <summary>The namespace the stage names: <c>location</c>, then <c>namespace</c>; null when neither.</summary>
    public static string? Location(JsonObject context) =>
        CloudStageContext.NonEmpty(context["location"].AsString()) ?? CloudStageContext.NonEmpty(context["namespace"].AsString());

    /// <summary><c>"deployment my-app"</c> → the kind and the name; a validation error naming <paramref name="field"/> otherwise.</summary>
    public static (KubernetesKind Kind, string Name) ParseManifestName(string? value, string field)
    {
        var parts = (value ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new ValidationException(field, $"must be \"<kind> <name>\" such as \"deployment my-app\", got '{value}'");
        }

        var kind = KubernetesKinds.Find(parts[0])
                   ?? throw new ValidationException(field, $"unknown kind '{parts[0]}' (known: {string.Join(", ", KubernetesKinds.All.Select(k => k.SpinnakerName))})");
        return (kind, parts[1]);
    }

    /// <summary>Spinnaker's <c>manifestNamesByNamespace</c> map from (namespace, "kind name") pairs.</summary>
    public static JsonObject NamesByNamespace(IEnumerable<(string? Namespace, string FullName)> names)
    {
        var map = new JsonObject();
        foreach (var group in names.GroupBy(n => n.Namespace ?? ""))
        {
            map[group.Key] = new JsonArray(group.Select(n => (JsonNode?)n.FullName).ToArray());
        }

        return map;
    }

    /// <summary>Reads a <c>manifestNamesByNamespace</c> map back.</summary>
    public static IEnumerable<(string? Namespace, string FullName)> ReadNamesByNamespace(JsonNode? map) =>
        (map as JsonObject ?? []).SelectMany(p => (p.Value as JsonArray ?? []).Select(n => ((string?)(p.Key.Length == 0 ? null : p.Key), n.AsString() ?? "")));
}
