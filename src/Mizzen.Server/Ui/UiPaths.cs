namespace Mizzen.Server.Ui;

/// <summary>The UI's stable, shareable URLs (one place, so links and tests agree).</summary>
public static class UiPaths
{
    public const string Home = "/";
    public const string NotFound = "/ui/not-found";

    public static string Application(string app) => $"/ui/applications/{Uri.EscapeDataString(app)}";

    public static string Executions(string app) => $"/ui/applications/{Uri.EscapeDataString(app)}/executions";

    public static string Execution(string id) => $"/ui/executions/{Uri.EscapeDataString(id)}";

    public static string Stage(string executionId, string stageId) => $"{Execution(executionId)}#stage-{Uri.EscapeDataString(stageId)}";
}
