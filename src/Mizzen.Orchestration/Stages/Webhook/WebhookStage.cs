using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// <c>webhook</c>: calls <c>url</c> (<c>method</c> default POST, <c>payload</c>, <c>customHeaders</c>) and, with
/// <c>waitForCompletion</c>, polls a status URL until it reports success. Tasks: createWebhook →
/// waitBeforeMonitorWebhook (when <c>waitBeforeMonitor</c> &gt; 0) → monitorWebhook; <c>monitorOnly</c> skips the call
/// and polls <c>url</c>.
/// </summary>
public sealed class WebhookStage : IStageDefinition
{
    public const string StageType = "webhook";

    private static readonly string[] Resolutions = ["getMethod", "locationHeader", "webhookResponse"];

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks)
    {
        var context = stage.Context;
        var monitorOnly = context["monitorOnly"].AsBool() == true;
        if (!monitorOnly)
        {
            tasks.Add<CreateWebhookTask>("createWebhook");
        }

        if (context["waitForCompletion"].AsBool() == true || monitorOnly)
        {
            if (context[WaitBeforeMonitorTask.WaitBeforeMonitorKey].AsDouble() > 0 || StageConfigChecks.IsExpression(context[WaitBeforeMonitorTask.WaitBeforeMonitorKey]))
            {
                tasks.Add<WaitBeforeMonitorTask>("waitBeforeMonitorWebhook");
            }

            tasks.Add<MonitorWebhookTask>("monitorWebhook");
        }
    }

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var problems = new List<ValidationProblem>();
        var url = stageConfig["url"];
        if (StageConfigChecks.IsMissing(url))
        {
            problems.Add(StageConfigChecks.Required(path, "url", StageType));
        }
        else if (!StageConfigChecks.IsExpression(url)
                 && (!Uri.TryCreate(url.AsString(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problems.Add(new ValidationProblem($"{path}.url", $"'{url.AsString()}' is not an absolute http(s) URL"));
        }

        if (stageConfig["method"].AsString() is { } method && !StageConfigChecks.IsExpression(stageConfig["method"])
                                                           && !WebhookHttpClient.IsSupportedMethod(method))
        {
            problems.Add(new ValidationProblem($"{path}.method", $"'{method}' is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"));
        }

        if (stageConfig["customHeaders"] is { } headers && headers is not JsonObject && !StageConfigChecks.IsExpression(headers))
        {
            problems.Add(new ValidationProblem($"{path}.customHeaders", "must be an object {\"Header-Name\": \"value\" or [\"values\"]}"));
        }

        problems.AddRange(StageConfigChecks.OptionalSeconds(stageConfig, path, WaitBeforeMonitorTask.WaitBeforeMonitorKey));
        if (stageConfig["waitForCompletion"].AsBool() == true)
        {
            ValidateMonitoring(stageConfig, path, problems);
        }

        return problems;
    }

    private static void ValidateMonitoring(JsonObject stageConfig, string path, List<ValidationProblem> problems)
    {
        var resolution = stageConfig["statusUrlResolution"].AsString();
        if (resolution is not null && !Resolutions.Contains(resolution, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add(new ValidationProblem($"{path}.statusUrlResolution", $"'{resolution}' is not one of {string.Join(", ", Resolutions)}"));
        }

        if (string.Equals(resolution, "webhookResponse", StringComparison.OrdinalIgnoreCase) && StageConfigChecks.IsMissing(stageConfig["statusUrlJsonPath"]))
        {
            problems.Add(new ValidationProblem($"{path}.statusUrlJsonPath", "required when statusUrlResolution is webhookResponse"));
        }

        foreach (var field in new[] { "statusUrlJsonPath", "statusJsonPath", "progressJsonPath" })
        {
            if (stageConfig[field].AsString() is { Length: > 0 } jsonPath && !StageConfigChecks.IsExpression(stageConfig[field]))
            {
                try
                {
                    JsonPathReader.Parse(jsonPath);
                }
                catch (FormatException e)
                {
                    problems.Add(new ValidationProblem($"{path}.{field}", e.Message));
                }
            }
        }
    }
}
