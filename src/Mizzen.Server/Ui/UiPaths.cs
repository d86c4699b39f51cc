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

    /// <summary>A pipeline's triggers in words, each with the last event addressed to it and what it did.</summary>
    public static string PipelineTriggers(string id) => $"/ui/pipelines/{Uri.EscapeDataString(id)}/triggers";

    /// <summary>The report of the canary stage <paramref name="stageId"/> of a run (its canaryExecutionId is "{execution}-{stage}").</summary>
    public static string CanaryReport(string executionId, string stageId) => $"/ui/canary/{Uri.EscapeDataString($"{executionId}-{stageId}")}";

    /// <summary>The canary configs, of one application when <paramref name="app"/> is given (under /ui/canary-configs, apart from the reports' /ui/canary/{id}).</summary>
    public static string CanaryConfigs(string? app = null) =>
        app is null ? "/ui/canary-configs" : $"/ui/canary-configs?application={Uri.EscapeDataString(app)}";

    public static string CanaryConfig(string id) => $"/ui/canary-configs/{Uri.EscapeDataString(id)}";

    /// <summary>The editor of a new canary config for <paramref name="app"/>.</summary>
    public static string NewCanaryConfig(string? app) =>
        app is null ? "/ui/canary-configs/new" : $"/ui/canary-configs/new?application={Uri.EscapeDataString(app)}";

    /// <summary>The dry run form (and, with a query, its result) of a canary config.</summary>
    public static string CanaryDryRun(string id) => $"{CanaryConfig(id)}/dry-run";

    public static string Stage(string executionId, string stageId) => $"{Execution(executionId)}#stage-{Uri.EscapeDataString(stageId)}";
}
