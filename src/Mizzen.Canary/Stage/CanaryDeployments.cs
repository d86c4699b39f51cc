using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Canary.Stage;

/// <summary>
/// The optional <c>deployments</c> block of a <c>kayentaCanary</c> stage (Orca's realTimeAutomatic canary):
/// <c>{baseline: {cloudProvider, account, cluster}, serverGroupPairs: [{control: {…}, experiment: {…}}],
/// delayBeforeCleanup, trafficWeights: {loadBalancer, account, control, experiment}}</c>. Mizzen deploys the first pair.
/// </summary>
public sealed record CanaryDeployments(
    string? CloudProvider,
    string BaselineAccount,
    string BaselineCluster,
    JsonObject Control,
    JsonObject Experiment,
    TimeSpan DelayBeforeCleanup,
    CanaryTrafficWeights? TrafficWeights)
{
    public const string DeploymentsKey = "deployments";
    public const string RoleKey = "canaryRole";

    /// <summary>Null when the stage has no <c>deployments</c> block; throws <see cref="CanaryConfigException"/> when it is malformed.</summary>
    public static CanaryDeployments? Read(JsonObject stageContext)
    {
        ArgumentNullException.ThrowIfNull(stageContext);
        if (stageContext[DeploymentsKey] is not JsonObject d)
        {
            return null;
        }

        var baseline = d["baseline"] as JsonObject ?? throw KayentaCanaryContext.Invalid("deployments.baseline", "needs {account, cluster} of the cluster now in production");
        var pair = (d["serverGroupPairs"] as JsonArray)?.FirstOrDefault() as JsonObject
                   ?? throw KayentaCanaryContext.Invalid("deployments.serverGroupPairs", "needs one {control, experiment} pair of createServerGroup cluster specs");
        return new CanaryDeployments(
            KayentaCanaryContext.Text(baseline["cloudProvider"]),
            KayentaCanaryContext.Text(baseline["account"]) ?? throw KayentaCanaryContext.Invalid("deployments.baseline.account", "is required"),
            KayentaCanaryContext.Text(baseline["cluster"]) ?? throw KayentaCanaryContext.Invalid("deployments.baseline.cluster", "is required"),
            pair["control"] as JsonObject ?? throw KayentaCanaryContext.Invalid("deployments.serverGroupPairs[0].control", "is required"),
            pair["experiment"] as JsonObject ?? throw KayentaCanaryContext.Invalid("deployments.serverGroupPairs[0].experiment", "is required"),
            Delay(d["delayBeforeCleanup"]),
            CanaryTrafficWeights.Read(d["trafficWeights"] as JsonObject));
    }

    /// <summary>The server groups the before-stages deployed (null names until they have run).</summary>
    public static DeployedCanary? Deployed(PipelineExecution execution, StageExecution stage, CanaryDeployments deployments)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(deployments);
        var children = execution.Children(stage, SyntheticStageOwner.StageBefore).ToList();
        string? Named(string role) => children.Where(c => c.Context[RoleKey].AsString() == role).Select(CanaryServerGroupOutputs.ServerGroupOf).FirstOrDefault(n => n is not null);
        return new DeployedCanary(
            Named(CanaryDeploymentStages.BaselineRole),
            Named(CanaryDeploymentStages.ControlRole),
            KayentaCanaryContext.Text(deployments.Control["account"]) ?? deployments.BaselineAccount,
            Named(CanaryDeploymentStages.ExperimentRole),
            KayentaCanaryContext.Text(deployments.Experiment["account"]) ?? deployments.BaselineAccount);
    }

    /// <summary><c>delayBeforeCleanup</c>: an ISO-8601 duration (Orca: <c>PT0S</c>) or seconds.</summary>
    private static TimeSpan Delay(JsonNode? node)
    {
        if (KayentaCanaryContext.Text(node) is not { } text)
        {
            return TimeSpan.Zero;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        try
        {
            return System.Xml.XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw KayentaCanaryContext.Invalid("deployments.delayBeforeCleanup", $"'{text}' is not an ISO-8601 duration such as PT5M");
        }
    }
}

/// <summary><c>deployments.trafficWeights</c>: the percentages control and experiment get; the baseline keeps the rest.</summary>
public sealed record CanaryTrafficWeights(string LoadBalancer, string? Account, int Control, int Experiment)
{
    public static CanaryTrafficWeights? Read(JsonObject? t)
    {
        if (t is null)
        {
            return null;
        }

        var control = (int)(t["control"].AsDouble() ?? 0);
        var experiment = (int)(t["experiment"].AsDouble() ?? 0);
        if (control < 0 || experiment < 0 || control + experiment > 100)
        {
            throw KayentaCanaryContext.Invalid("deployments.trafficWeights", $"control ({control}) and experiment ({experiment}) must be percentages that add up to at most 100");
        }

        return new CanaryTrafficWeights(
            KayentaCanaryContext.Text(t["loadBalancer"]) ?? throw KayentaCanaryContext.Invalid("deployments.trafficWeights.loadBalancer", "is required"),
            KayentaCanaryContext.Text(t["account"]),
            control,
            experiment);
    }
}

/// <summary>The baseline's current server group and the two canary server groups, once deployed.</summary>
public sealed record DeployedCanary(string? Baseline, string? Control, string ControlAccount, string? Experiment, string ExperimentAccount);
