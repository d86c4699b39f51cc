using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Canary.Stage;

/// <summary>
/// The <c>deployments</c> block of a <c>kayentaCanary</c> stage on Kubernetes (<c>baseline.cloudProvider: kubernetes</c>), where a
/// canary is two Deployments and an Istio VirtualService split (Descartes Labs' practice). <c>serverGroupPairs[0].control</c> and
/// <c>.experiment</c> are deployManifest stage contexts (<c>account</c>, <c>manifests</c> or <c>manifestArtifactId</c>, <c>moniker</c>);
/// <c>trafficWeights</c> is <c>{loadBalancer: "virtualService NAME", account, control, experiment, subsets: {production, control,
/// experiment}}</c> with subsets defaulting to <c>stable</c>, <c>baseline</c> and <c>canary</c> (the DestinationRule's names for the
/// production, control and experiment pods). Before: deployManifest control → deployManifest experiment → setTrafficWeights
/// (production gets the rest). After, and on failure: optional wait → all traffic back to the production subset → deleteManifest of
/// each workload the two deploys created.
/// </summary>
public static class KubernetesCanaryDeploymentStages
{
    public const string Provider = "kubernetes";
    public const string DeployManifestType = "deployManifest";
    public const string DeleteManifestType = "deleteManifest";

    private const string ContinueKey = "continuePipeline";
    private const string NamesKey = "outputs.manifestNamesByNamespace";

    public static bool Applies(CanaryDeployments deployments) =>
        string.Equals(deployments?.CloudProvider, Provider, StringComparison.OrdinalIgnoreCase);

    public static void Before(StageExecution parent, CanaryDeployments deployments, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(graph);
        graph.Append(DeployManifestType, "Deploy canary control", Spec(deployments.Control, deployments, CanaryDeploymentStages.ControlRole));
        graph.Append(DeployManifestType, "Deploy canary experiment", Spec(deployments.Experiment, deployments, CanaryDeploymentStages.ExperimentRole));
        if (deployments.TrafficWeights is { } weights)
        {
            var subsets = Subsets(parent);
            graph.Append(CanaryDeploymentStages.SetTrafficWeightsType, "Send traffic to canary", new JsonObject
            {
                ["cloudProvider"] = Provider,
                ["account"] = weights.Account ?? deployments.BaselineAccount,
                ["loadBalancer"] = weights.LoadBalancer,
                ["targets"] = new JsonArray(
                    Target(subsets.Production, 100 - weights.Control - weights.Experiment),
                    Target(subsets.Control, weights.Control),
                    Target(subsets.Experiment, weights.Experiment)),
            });
        }
    }

    public static void Cleanup(PipelineExecution execution, StageExecution parent, CanaryDeployments deployments, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(graph);
        var deploys = execution.Children(parent, SyntheticStageOwner.StageBefore).Where(c => c.Type == DeployManifestType).ToList();
        if (deployments.DelayBeforeCleanup > TimeSpan.Zero)
        {
            graph.Append("wait", "Wait before canary cleanup", new JsonObject { ["waitTime"] = (long)deployments.DelayBeforeCleanup.TotalSeconds });
        }

        if (deployments.TrafficWeights is { } weights)
        {
            graph.Append(CanaryDeploymentStages.SetTrafficWeightsType, "Restore traffic to production", new JsonObject
            {
                ["cloudProvider"] = Provider,
                ["account"] = weights.Account ?? deployments.BaselineAccount,
                ["loadBalancer"] = weights.LoadBalancer,
                ["targets"] = new JsonArray(Target(Subsets(parent).Production, 100)),
                [ContinueKey] = true,
            });
        }

        foreach (var deploy in deploys)
        {
            var account = deploy.Context["account"].AsString() ?? deployments.BaselineAccount;
            foreach (var (ns, manifest) in Workloads(deploy))
            {
                graph.Append(DeleteManifestType, $"Delete canary {manifest}", new JsonObject
                {
                    ["cloudProvider"] = Provider,
                    ["account"] = account,
                    ["location"] = ns,
                    ["manifestName"] = manifest,
                    ["options"] = new JsonObject { ["cascading"] = true },
                    [CanaryDeployments.RoleKey] = deploy.Context[CanaryDeployments.RoleKey]?.DeepClone(),
                    [ContinueKey] = true,
                });
            }
        }
    }

    /// <summary>The workload a deployManifest created (its first Deployment, ReplicaSet or StatefulSet), as the canary's scope name.</summary>
    public static string? WorkloadName(StageExecution stage) =>
        Workloads(stage).Select(w => w.Manifest.Split(' ', 2)[^1]).FirstOrDefault();

    private static IEnumerable<(string Namespace, string Manifest)> Workloads(StageExecution deploy) =>
        (deploy.Outputs[NamesKey] ?? deploy.Context[NamesKey]) is JsonObject byNamespace
            ? byNamespace.SelectMany(p => (p.Value as JsonArray ?? []).Select(n => (p.Key, n.AsString() ?? "")))
                .Where(w => w.Item2.Split(' ')[0] is "deployment" or "replicaSet" or "statefulSet")
            : [];

    private static (string Production, string Control, string Experiment) Subsets(StageExecution parent)
    {
        var subsets = parent.Context[CanaryDeployments.DeploymentsKey]?["trafficWeights"]?["subsets"] as JsonObject;
        return (
            subsets?["production"].AsString() ?? "stable",
            subsets?["control"].AsString() ?? "baseline",
            subsets?["experiment"].AsString() ?? "canary");
    }

    private static JsonObject Spec(JsonObject spec, CanaryDeployments deployments, string role)
    {
        var copy = (JsonObject)spec.DeepClone();
        copy["cloudProvider"] = Provider;
        copy["account"] ??= deployments.BaselineAccount;
        copy[CanaryDeployments.RoleKey] = role;
        return copy;
    }

    private static JsonObject Target(string subset, int weight) => new() { ["serverGroupName"] = subset, ["serverGroup"] = subset, ["weight"] = weight };
}
