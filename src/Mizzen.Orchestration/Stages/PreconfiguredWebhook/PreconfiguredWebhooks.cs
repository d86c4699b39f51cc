using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Stages.Webhook;
using Mizzen.Orchestration.Tasks;

namespace Mizzen.Orchestration.Stages.PreconfiguredWebhook;

/// <summary>
/// The operator's webhook stage types, and how a run of one gets its settings: at call time, from the operator's entry
/// (expressions evaluated with the stage's <c>parameterValues</c>, defaults filled in), never from the stage context. So the
/// url, headers and payload are not stored with the run, and the entry's secrets are resolved by the HTTP client alone.
/// </summary>
public sealed class PreconfiguredWebhooks
{
    private readonly Dictionary<string, PreconfiguredWebhook> byType;
    private readonly IExpressionEvaluator evaluator;
    private readonly ISecretStore? secrets;

    public PreconfiguredWebhooks(IReadOnlyList<PreconfiguredWebhook> all, IExpressionEvaluator evaluator, IEnumerable<IStageDefinition> definitions, ISecretStore? secrets = null)
    {
        All = all;
        this.evaluator = evaluator;
        this.secrets = secrets;
        byType = all.ToDictionary(h => h.Type, StringComparer.Ordinal);
        foreach (var definition in definitions.Where(d => d is not PreconfiguredWebhookStage))
        {
            if (byType.ContainsKey(definition.Type) || definition.Aliases.Any(byType.ContainsKey))
            {
                throw new ArgumentException(
                    $"{PreconfiguredWebhookOptions.SectionName}: type '{definition.Type}' is a built-in stage type; give the preconfigured webhook another type");
            }
        }
    }

    public const string SecretInParameter =
        "a pipeline may not pass a secret reference to a preconfigured webhook stage: its secrets come from the operator's configuration only";

    public IReadOnlyList<PreconfiguredWebhook> All { get; }

    public PreconfiguredWebhook? Find(string type) => byType.GetValueOrDefault(type);

    /// <summary>The settings for a task of a preconfigured stage, or null when the stage is not one (a plain <c>webhook</c>).</summary>
    public WebhookSettings? Settings(TaskContext context) =>
        Find(context.Stage.Type) is { } hook ? WebhookSettings.From(EffectiveContext(hook, context)) with { Secrets = SecretSource.Operator } : null;

    /// <summary>The stage's context (its results: <c>webhook</c>, <c>statusEndpoint</c>) with the operator's settings, evaluated, over any webhook field the pipeline set.</summary>
    public JsonObject EffectiveContext(PreconfiguredWebhook hook, TaskContext context)
    {
        var root = (JsonObject)context.Context.DeepClone();
        foreach (var field in PreconfiguredWebhook.WebhookFields)
        {
            root.Remove(field);
        }

        root["parameterValues"] = ParameterValues(hook, context.Context["parameterValues"] as JsonObject);
        var scope = new ExpressionScope(context.Execution, context.Stage, Root: root, User: context.User);
        var evaluated = evaluator.Process(hook.Settings, scope).Value as JsonObject ?? hook.Settings;
        foreach (var (key, value) in evaluated)
        {
            root[key] = value?.DeepClone();
        }

        return root;
    }

    /// <summary>What the pipeline gave, with each missing parameter's default.</summary>
    public static JsonObject ParameterValues(PreconfiguredWebhook hook, JsonObject? given)
    {
        var values = (JsonObject?)given?.DeepClone() ?? [];
        if (SecretReferences.Names(values).Any())
        {
            // The operator's settings may resolve any secret: a reference passed in by a pipeline would borrow that right.
            throw new SecretNotFoundException(SecretInParameter);
        }

        foreach (var parameter in hook.Parameters)
        {
            if (!values.ContainsKey(parameter.Name) && parameter.DefaultValue is not null)
            {
                values[parameter.Name] = parameter.DefaultValue;
            }
        }

        return values;
    }

    /// <summary>Why the entry cannot run now: each secret it references that the store does not have (operator configuration may use any secret).</summary>
    public IReadOnlyList<string> Problems(PreconfiguredWebhook hook) => Problems(hook, secrets);

    public static IReadOnlyList<string> Problems(PreconfiguredWebhook hook, ISecretStore? secrets) =>
    [
        .. SecretReferences.Names(hook.Settings).Distinct(StringComparer.Ordinal)
            .Select(name => SecretReferences.Problem(name, secrets, pipelineField: false))
            .OfType<string>(),
    ];
}
