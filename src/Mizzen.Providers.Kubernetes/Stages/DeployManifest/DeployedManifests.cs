using System.Text.Json.Nodes;
using Mizzen.Orchestration.Tasks;
using Mizzen.Providers.Kubernetes.Accounts;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Stages.DeployManifest;

/// <summary>The manifests a deploy recorded in <c>outputs.manifestNamesByNamespace</c>, read back from the account's cache.</summary>
internal static class DeployedManifests
{
    public static async Task<IReadOnlyList<KubernetesManifest>> ReadAsync(TaskContext context, KubernetesAccount account, CancellationToken cancellationToken)
    {
        var found = new List<KubernetesManifest>();
        foreach (var (ns, fullName) in ManifestStageContext.ReadNamesByNamespace(context.Get(ManifestStageContext.ManifestNamesByNamespaceKey)))
        {
            var (kind, name) = ManifestStageContext.ParseManifestName(fullName, ManifestStageContext.ManifestNamesByNamespaceKey);
            if (await account.Cache.GetAsync(kind.Kind, kind.Namespaced ? ns : null, name, cancellationToken) is { } obj)
            {
                found.Add(new KubernetesManifest(obj));
            }
        }

        return found;
    }

    public static JsonArray Names(IEnumerable<KubernetesManifest> manifests) =>
        new([.. manifests.Select(m => (JsonNode?)new JsonObject { ["location"] = m.Namespace, ["manifestName"] = m.FullName })]);
}
