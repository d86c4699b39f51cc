using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Stages.Webhook;

namespace Mizzen.Orchestration.Stages.PreconfiguredWebhook;

/// <summary>
/// A stage type the operator defined (<see cref="PreconfiguredWebhook"/>): a webhook whose url, headers, payload and status
/// settings come from the operator's configuration, and whose pipeline fields are <c>parameterValues</c> only. It runs the
/// webhook stage's tasks, which take its settings from <see cref="PreconfiguredWebhooks"/> at call time.
/// </summary>
public sealed class PreconfiguredWebhookStage(PreconfiguredWebhook hook, ISecretStore? secrets = null) : IStageDefinition
{
    public PreconfiguredWebhook Hook => hook;

    public string Type => hook.Type;

    public void BuildTasks(StageExecution stage, TaskGraph tasks) => WebhookStage.BuildTasks(hook.Settings, tasks);

    public IEnumerable<ValidationProblem> Validate(JsonObject stageConfig, string path)
    {
        var problems = new List<ValidationProblem>();
        var given = stageConfig["parameterValues"];
        if (given is not null and not JsonObject)
        {
            problems.Add(new ValidationProblem($"{path}.parameterValues", "must be an object {\"parameter\": \"value\"}"));
        }

        var values = given as JsonObject ?? [];
        var known = hook.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, _) in values)
        {
            if (!known.Contains(name))
            {
                problems.Add(new ValidationProblem($"{path}.parameterValues.{name}", known.Count == 0
                    ? $"'{hook.Type}' ({hook.Label}) takes no parameters"
                    : $"'{hook.Type}' ({hook.Label}) has no parameter '{name}'; its parameters are {string.Join(", ", known)}"));
            }
        }

        foreach (var (name, value) in values)
        {
            if (SecretReferences.Names(value).Any())
            {
                problems.Add(new ValidationProblem($"{path}.parameterValues.{name}", PreconfiguredWebhooks.SecretInParameter));
            }
        }

        foreach (var parameter in hook.Parameters.Where(p => p.IsRequired))
        {
            if (values[parameter.Name] is null || (values[parameter.Name] is JsonValue v && v.ToString().Length == 0))
            {
                problems.Add(new ValidationProblem($"{path}.parameterValues.{parameter.Name}",
                    $"required by '{hook.Type}' ({hook.Label}): {parameter.Label}"));
            }
        }

        foreach (var field in PreconfiguredWebhook.WebhookFields.Where(stageConfig.ContainsKey).Order(StringComparer.Ordinal))
        {
            problems.Add(ValidationProblem.Warning($"{path}.{field}",
                $"ignored: the operator's configuration of '{hook.Type}' sets the webhook; a pipeline fills in parameterValues only"));
        }

        foreach (var problem in PreconfiguredWebhooks.Problems(hook, secrets))
        {
            problems.Add(new ValidationProblem(path, $"'{hook.Type}' cannot run: {problem}"));
        }

        return problems;
    }
}
