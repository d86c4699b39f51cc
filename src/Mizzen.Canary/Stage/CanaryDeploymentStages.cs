using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Canary.Stage;

/// <summary>
/// The synthetic stages of a canary with a <c>deployments</c> block. Before: <c>findImage</c> on the baseline cluster →
/// <c>createServerGroup</c> control (no artifact of its own, so it deploys the <c>deploymentDetails</c> findImage wrote) → <c>createServerGroup</c> experiment →
/// <c>setTrafficWeights</c> (control and experiment get their percentages, the baseline's server group the rest).
/// After, and on failure: optional wait (<c>delayBeforeCleanup</c>) → weights back to the baseline → destroy both
/// canary server groups. The cleanup is planned when it is due, so it names the server groups actually deployed. On Kubernetes
/// (<c>baseline.cloudProvider: kubernetes</c>) the plan is <see cref="KubernetesCanaryDeploymentStages"/>'s instead.
/// </summary>
public static class CanaryDeploymentStages
{
    public const string BaselineRole = "baseline";
    public const string ControlRole = "control";
    public const string ExperimentRole = "experiment";
    public const string FindImageType = "findImage";
    public const string CreateServerGroupType = "createServerGroup";
    public const string SetTrafficWeightsType = "setTrafficWeights";
    public const string DestroyServerGroupType = "destroyServerGroup";

    /// <summary>Cleanup is best effort: a failed step (FAILED_CONTINUE) does not keep the next from running.</summary>
    private const string ContinueKey = "continuePipeline";

    public static void Before(StageExecution parent, CanaryDeployments deployments, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(graph);
        if (KubernetesCanaryDeploymentStages.Applies(deployments))
        {
            KubernetesCanaryDeploymentStages.Before(parent, deployments, graph);
            return;
        }

        var refId = parent.RefId ?? parent.Id;
        graph.Append(FindImageType, "Find baseline artifact", new JsonObject
        {
            ["cloudProvider"] = deployments.CloudProvider,
            ["account"] = deployments.BaselineAccount,
            ["credentials"] = deployments.BaselineAccount,
            ["cluster"] = deployments.BaselineCluster,
            ["onlyEnabled"] = true,
            ["selectionStrategy"] = "NEWEST",
            [CanaryDeployments.RoleKey] = BaselineRole,
        });

        var control = Spec(deployments.Control, deployments, ControlRole);
        control.Remove("bundle");
        control.Remove("artifact");
        graph.Append(CreateServerGroupType, "Deploy canary control", control);
        graph.Append(CreateServerGroupType, "Deploy canary experiment", Spec(deployments.Experiment, deployments, ExperimentRole));
        if (deployments.TrafficWeights is { } weights)
        {
            graph.Append(SetTrafficWeightsType, "Send traffic to canary", new JsonObject
            {
                ["cloudProvider"] = deployments.CloudProvider,
                ["account"] = weights.Account ?? deployments.BaselineAccount,
                ["loadBalancer"] = weights.LoadBalancer,
                ["targets"] = new JsonArray(
                    Target(Expression(refId, 1, CanaryServerGroupOutputs.ServerGroupPath), 100 - weights.Control - weights.Experiment),
                    Target(Expression(refId, 2, CanaryServerGroupOutputs.ServerGroupPath), weights.Control),
                    Target(Expression(refId, 3, CanaryServerGroupOutputs.ServerGroupPath), weights.Experiment)),
            });
        }
    }

    public static void Cleanup(PipelineExecution execution, StageExecution parent, CanaryDeployments deployments, StageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(graph);
        if (KubernetesCanaryDeploymentStages.Applies(deployments))
        {
            KubernetesCanaryDeploymentStages.Cleanup(execution, parent, deployments, graph);
            return;
        }

        var deployed = CanaryDeployments.Deployed(execution, parent, deployments);
        if (deployed is null)
        {
            return;
        }

        if (deployments.DelayBeforeCleanup > TimeSpan.Zero)
        {
            graph.Append("wait", "Wait before canary cleanup", new JsonObject { ["waitTime"] = (long)deployments.DelayBeforeCleanup.TotalSeconds });
        }

        if (deployments.TrafficWeights is { } weights && deployed.Baseline is { } baseline)
        {
            graph.Append(SetTrafficWeightsType, "Restore traffic to baseline", new JsonObject
            {
                ["cloudProvider"] = deployments.CloudProvider,
                ["account"] = weights.Account ?? deployments.BaselineAccount,
                ["loadBalancer"] = weights.LoadBalancer,
                ["targets"] = new JsonArray(Target(baseline, 100)),
                [ContinueKey] = true,
            });
        }

        Destroy(graph, deployments, deployed.Control, deployed.ControlAccount, "Destroy canary control", ControlRole);
        Destroy(graph, deployments, deployed.Experiment, deployed.ExperimentAccount, "Destroy canary experiment", ExperimentRole);
    }

    private static void Destroy(StageGraph graph, CanaryDeployments deployments, string? serverGroup, string account, string name, string role)
    {
        if (serverGroup is null)
        {
            return;
        }

        graph.Append(DestroyServerGroupType, name, new JsonObject
        {
            ["cloudProvider"] = deployments.CloudProvider,
            ["account"] = account,
            ["credentials"] = account,
            ["serverGroupName"] = serverGroup,
            ["serverGroup"] = serverGroup,
            [CanaryDeployments.RoleKey] = role,
            [ContinueKey] = true,
        });
    }

    private static JsonObject Spec(JsonObject spec, CanaryDeployments deployments, string role)
    {
        var copy = (JsonObject)spec.DeepClone();
        copy["cloudProvider"] ??= deployments.CloudProvider;
        copy["account"] ??= deployments.BaselineAccount;
        copy[CanaryDeployments.RoleKey] = role;
        return copy;
    }

    /// <summary>A weighted target; setTrafficWeights reads <c>serverGroupName</c>, Deck writes <c>serverGroup</c>: both are given.</summary>
    private static JsonObject Target(string serverGroup, int weight) => new() { ["serverGroupName"] = serverGroup, ["serverGroup"] = serverGroup, ["weight"] = weight };

    /// <summary>A value of the n-th before-stage, read when the stage runs (synthetic refIds are <c>{parent}&lt;{n}</c>).</summary>
    private static string Expression(string parentRefId, int index, string path) => $"${{#stageByRefId('{parentRefId}<{index}').{path}}}";
}
