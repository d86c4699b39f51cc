using System.Text.Json.Nodes;

namespace Mizzen.Testing.Kubernetes;

/// <summary>
/// One kind the fake serves, as its discovery document names it: group, version, kind, plural resource name, whether it
/// lives in a namespace, and its subresources. Storage is per group and plural, so versions of one group (Istio's
/// <c>v1beta1</c> and <c>v1</c>) see the same objects, as a real server converting between versions of a CRD does.
/// </summary>
public sealed record FakeResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    bool Namespaced,
    string[] ShortNames,
    string[] Subresources,
    bool BuiltIn = true)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Singular name, lower case (as discovery reports it).</summary>
    public string Singular => Kind.ToLowerInvariant();

    /// <summary>The storage key of the resource: versions of one group share it.</summary>
    public string StorageKey => $"{Plural}.{Group}";

    /// <summary>The "resource.group" form used in error messages (<c>deployments.apps</c>, <c>pods</c>).</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool HasStatus => Subresources.Contains("status");
}

/// <summary>The kinds the fake serves and its discovery documents (<c>/api</c>, <c>/apis</c>, <c>/api/v1</c>, <c>/apis/g/v</c>).</summary>
public static class FakeResourceTypes
{
    private static readonly string[] Status = ["status"];
    private static readonly string[] StatusScale = ["status", "scale"];

    public static IReadOnlyList<FakeResourceType> All { get; } =
    [
        new("", "v1", "Namespace", "namespaces", false, ["ns"], Status),
        new("", "v1", "Node", "nodes", false, ["no"], Status),
        new("", "v1", "Pod", "pods", true, ["po"], ["status", "log"]),
        new("", "v1", "Service", "services", true, ["svc"], Status),
        new("", "v1", "Endpoints", "endpoints", true, ["ep"], []),
        new("", "v1", "ConfigMap", "configmaps", true, ["cm"], []),
        new("", "v1", "Secret", "secrets", true, [], []),
        new("", "v1", "ServiceAccount", "serviceaccounts", true, ["sa"], []),
        new("", "v1", "Event", "events", true, ["ev"], []),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, ["pvc"], Status),
        new("", "v1", "ReplicationController", "replicationcontrollers", true, ["rc"], StatusScale),
        new("apps", "v1", "Deployment", "deployments", true, ["deploy"], StatusScale),
        new("apps", "v1", "ReplicaSet", "replicasets", true, ["rs"], StatusScale),
        new("apps", "v1", "StatefulSet", "statefulsets", true, ["sts"], StatusScale),
        new("apps", "v1", "DaemonSet", "daemonsets", true, ["ds"], Status),
        new("apps", "v1", "ControllerRevision", "controllerrevisions", true, [], []),
        new("batch", "v1", "Job", "jobs", true, [], Status),
        new("batch", "v1", "CronJob", "cronjobs", true, ["cj"], Status),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["hpa"], Status),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["pdb"], Status),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, ["ing"], Status),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, ["netpol"], []),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true, [], []),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, [], []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, [], []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, [], []),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, ["crd", "crds"], Status),
        new("networking.istio.io", "v1", "VirtualService", "virtualservices", true, ["vs"], Status, BuiltIn: false),
        new("networking.istio.io", "v1", "DestinationRule", "destinationrules", true, ["dr"], Status, BuiltIn: false),
        new("networking.istio.io", "v1", "Gateway", "gateways", true, ["gw"], Status, BuiltIn: false),
        new("networking.istio.io", "v1beta1", "VirtualService", "virtualservices", true, ["vs"], Status, BuiltIn: false),
        new("networking.istio.io", "v1beta1", "DestinationRule", "destinationrules", true, ["dr"], Status, BuiltIn: false),
        new("networking.istio.io", "v1beta1", "Gateway", "gateways", true, ["gw"], Status, BuiltIn: false),
    ];

    /// <summary>Preferred version per group, first listed wins (Istio: v1, as istio 1.22+ serves).</summary>
    private static readonly string[] GroupOrder = [.. All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct()];

    public static FakeResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    public static FakeResourceType? FindByKind(string apiVersion, string kind) =>
        All.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);

    /// <summary>The CustomResourceDefinition objects of the custom kinds (Istio's), as an Istio install creates them: every version served, v1 stored.</summary>
    public static IEnumerable<JsonObject> CustomResourceDefinitions()
    {
        foreach (var group in All.Where(t => !t.BuiltIn).GroupBy(t => (t.Group, t.Plural)))
        {
            var first = group.First();
            var versions = new JsonArray();
            foreach (var type in group)
            {
                versions.Add(new JsonObject
                {
                    ["name"] = type.Version,
                    ["served"] = true,
                    ["storage"] = type.Version == "v1",
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                    },
                    ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                });
            }

            yield return new JsonObject
            {
                ["apiVersion"] = "apiextensions.k8s.io/v1",
                ["kind"] = "CustomResourceDefinition",
                ["metadata"] = new JsonObject { ["name"] = $"{first.Plural}.{first.Group}" },
                ["spec"] = new JsonObject
                {
                    ["group"] = first.Group,
                    ["names"] = new JsonObject
                    {
                        ["kind"] = first.Kind,
                        ["listKind"] = $"{first.Kind}List",
                        ["plural"] = first.Plural,
                        ["singular"] = first.Singular,
                        ["shortNames"] = new JsonArray([.. first.ShortNames.Select(n => (JsonNode)n)]),
                        ["categories"] = new JsonArray("istio-io", "networking-istio-io"),
                    },
                    ["scope"] = "Namespaced",
                    ["versions"] = versions,
                },
                ["status"] = new JsonObject
                {
                    ["acceptedNames"] = new JsonObject { ["kind"] = first.Kind, ["plural"] = first.Plural },
                    ["storedVersions"] = new JsonArray("v1"),
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted" }),
                },
            };
        }
    }

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject ApiGroupList()
    {
        var groups = new JsonArray();
        foreach (var group in GroupOrder)
        {
            var versions = All.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
            var list = new JsonArray();
            foreach (var v in versions)
            {
                list.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
            }

            groups.Add(new JsonObject
            {
                ["name"] = group,
                ["versions"] = list,
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? ApiResourceList(string group, string version)
    {
        var types = All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var verbs = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
            var resource = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = verbs,
            };
            if (t.ShortNames.Length > 0)
            {
                resource["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (t.Group is "apps" && t.Plural is "deployments" or "statefulsets" or "daemonsets" or "replicasets")
            {
                resource["categories"] = new JsonArray("all");
            }
            else if (t.Group.Length == 0 && t.Plural is "pods" or "services" or "replicationcontrollers")
            {
                resource["categories"] = new JsonArray("all");
            }
            else if (t.Group == "batch")
            {
                resource["categories"] = new JsonArray("all");
            }

            resources.Add(resource);
            foreach (var sub in t.Subresources)
            {
                var subresource = new JsonObject
                {
                    ["name"] = $"{t.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = sub switch { "scale" => "Scale", "log" => "Pod", _ => t.Kind },
                    ["verbs"] = sub == "log" ? new JsonArray("get") : new JsonArray("get", "patch", "update"),
                };
                if (sub == "scale")
                {
                    subresource["group"] = "autoscaling";
                    subresource["version"] = "v1";
                }

                resources.Add(subresource);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
