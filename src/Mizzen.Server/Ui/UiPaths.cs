namespace Mizzen.Server.Ui;

/// <summary>The UI's stable, shareable URLs (one place, so links and tests agree).</summary>
public static class UiPaths
{
    public const string Home = "/";
    public const string NotFound = "/ui/not-found";

    public static string Application(string app) => $"/ui/applications/{Uri.EscapeDataString(app)}";

    public static string Executions(string app) => $"/ui/applications/{Uri.EscapeDataString(app)}/executions";

    public static string Execution(string id) => $"/ui/executions/{Uri.EscapeDataString(id)}";

    public static string Clusters(string app) => $"/ui/applications/{Uri.EscapeDataString(app)}/clusters";

    /// <summary>The application's load balancers with their targets and traffic charts over the last <paramref name="minutes"/> (15 by default).</summary>
    public static string LoadBalancers(string app, int? minutes = null) =>
        $"/ui/applications/{Uri.EscapeDataString(app)}/loadbalancers" + (minutes is { } m ? $"?minutes={m}" : "");

    /// <summary>The confirmation page of <paramref name="action"/> (resize, enable, disable, destroy) on one server group.</summary>
    public static string ServerGroupAction(string app, string account, string serverGroup, string action) =>
        $"/ui/applications/{Uri.EscapeDataString(app)}/serverGroups/{Uri.EscapeDataString(account)}/{Uri.EscapeDataString(serverGroup)}/{action}";

    /// <summary>The confirmation page of a cluster's one-click rollback.</summary>
    public static string Rollback(string app, string account, string cluster) =>
        $"/ui/applications/{Uri.EscapeDataString(app)}/clusters/{Uri.EscapeDataString(account)}/{Uri.EscapeDataString(cluster)}/rollback";

    public static string InstanceLogs(string account, string instanceId, string stream = "stdout") =>
        $"/ui/instances/{Uri.EscapeDataString(account)}/{Uri.EscapeDataString(instanceId)}/logs?stream={stream}";

    public static string PipelineConfig(string id) => $"/ui/pipelines/{Uri.EscapeDataString(id)}/config";

    /// <summary>The report of the canary stage <paramref name="stageId"/> of a run (its canaryExecutionId is "{execution}-{stage}").</summary>
    public static string CanaryReport(string executionId, string stageId) => $"/ui/canary/{Uri.EscapeDataString($"{executionId}-{stageId}")}";

    public static string Stage(string executionId, string stageId) => $"{Execution(executionId)}#stage-{Uri.EscapeDataString(stageId)}";
}
