using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Core.Secrets;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>
/// <c>webhook</c>: calls <c>url</c> (<c>method</c> default POST, <c>payload</c>, <c>customHeaders</c>) and, with
/// <c>waitForCompletion</c>, polls a status URL until it reports success. Tasks: createWebhook →
/// waitBeforeMonitorWebhook (when <c>waitBeforeMonitor</c> &gt; 0) → monitorWebhook; <c>monitorOnly</c> skips the call
/// and polls <c>url</c>.
/// </summary>
public sealed class WebhookStage(ISecretStore? secrets = null) : IStageDefinition
{
    public const string StageType = "webhook";

    public const string SecretInUrl =
        "url: a secret is never put in a URL (URLs are logged, stored and shown); send it in a header such as Authorization: 'Bearer ${secret:NAME}'";

    private static readonly string[] Resolutions = ["getMethod", "locationHeader", "webhookResponse"];

    public string Type => StageType;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => BuildTasks(stage.Context, tasks);

    /// <summary>The tasks for a webhook configured by <paramref name="context"/> (a stage's, or a preconfigured type's operator settings).</summary>
    public static void BuildTasks(JsonObject context, TaskGraph tasks)
    {
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

        problems.AddRange(SecretProblems(stageConfig, path, secrets));

        problems.AddRange(StageConfigChecks.OptionalSeconds(stageConfig, path, WaitBeforeMonitorTask.WaitBeforeMonitorKey));
        if (stageConfig["waitForCompletion"].AsBool() == true)
        {
            ValidateMonitoring(stageConfig, path, problems);
        }

        return problems;
    }

    /// <summary>
    /// Credentials in a webhook stage's own fields: a credential header must hold a <c>${secret:name}</c> reference (a written-out
    /// token or an expression would be stored with the pipeline and every run), no URL may hold a secret, and every referenced
    /// secret must exist and be allowed in pipelines (checked when a store is known; offline validation has none).
    /// </summary>
    public static IEnumerable<ValidationProblem> SecretProblems(JsonObject stageConfig, string path, ISecretStore? secrets)
    {
        if (stageConfig["customHeaders"] is JsonObject headerObject)
        {
            foreach (var (name, value) in headerObject)
            {
                if (CredentialHeaders.IsSensitive(name) && !CredentialHeaders.IsSafeValue(value))
                {
                    yield return new ValidationProblem($"{path}.customHeaders.{name}",
                        $"'{name}' carries a credential, and a value written here would be stored with the pipeline and every run; store it as a secret and write '${{secret:NAME}}' (or 'Bearer ${{secret:NAME}}'), see docs/secrets.md");
                }
            }
        }

        foreach (var field in new[] { "url", "cancelEndpoint", "statusUrlJsonPath" })
        {
            if (SecretReferences.ContainsReference(stageConfig[field].AsString()))
            {
                yield return new ValidationProblem($"{path}.{field}", SecretInUrl["url: ".Length..]);
            }
        }

        if (secrets is null)
        {
            yield break;
        }

        foreach (var field in new[] { "customHeaders", "payload", "cancelPayload" })
        {
            foreach (var name in SecretReferences.Names(stageConfig[field]).Distinct(StringComparer.Ordinal))
            {
                if (SecretReferences.Problem(name, secrets, pipelineField: true) is { } problem)
                {
                    yield return new ValidationProblem($"{path}.{field}", problem);
                }
            }
        }
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
