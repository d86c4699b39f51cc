using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Stages.PreconfiguredWebhook;

/// <summary>
/// One operator-defined webhook stage type (Orca's <c>webhook.preconfigured</c> entry): its <see cref="Type"/> on the wire, what
/// the stage picker shows (<see cref="Label"/>, <see cref="Description"/>), the <see cref="Parameters"/> pipeline authors fill in
/// (<c>parameterValues</c>), and <see cref="Settings"/>: the webhook fields (url, method, customHeaders, payload, status
/// settings) that only the operator writes. Settings may use <c>${parameterValues.name}</c> and <c>${secret:name}</c>.
/// </summary>
public sealed partial record PreconfiguredWebhook(string Type, string Label, string Description, IReadOnlyList<PreconfiguredWebhookParameter> Parameters, JsonObject Settings)
{
    /// <summary>The webhook stage's fields: set by the operator, ignored when a pipeline sets them.</summary>
    public static readonly IReadOnlySet<string> WebhookFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "url", "method", "payload", "customHeaders", "failFastStatusCodes", "retryStatusCodes", "webhookRetryStatusCodes", "waitForCompletion",
        "monitorOnly", "statusUrlResolution", "statusUrlJsonPath", "statusJsonPath", "progressJsonPath", "successStatuses", "canceledStatuses",
        "terminalStatuses", "retries", "cancelEndpoint", "cancelMethod", "cancelPayload", "waitBeforeMonitor",
    };

    private static readonly HashSet<string> Described = new(StringComparer.Ordinal) { "type", "label", "description", "parameters", "enabled" };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();

    /// <summary>
    /// Reads entry <paramref name="index"/> of <c>Mizzen:Webhooks:Preconfigured</c>. Throws <see cref="ArgumentException"/> naming the
    /// setting for an entry that cannot be a stage type (no or bad type, no url, a field that is not a webhook field).
    /// </summary>
    public static PreconfiguredWebhook FromJson(JsonObject entry, int index)
    {
        var where = $"{PreconfiguredWebhookOptions.SectionName}:{index}";
        var type = entry["type"].AsString();
        if (type is null || !TypeName().IsMatch(type))
        {
            throw new ArgumentException($"{where}:type: '{type}' is not a stage type name (a letter, then letters, digits, '-' or '_')");
        }

        if (string.IsNullOrWhiteSpace(entry["url"].AsString()))
        {
            throw new ArgumentException($"{where}:url: required (the URL the '{type}' stage calls)");
        }

        var settings = new JsonObject();
        foreach (var (key, value) in entry)
        {
            if (Described.Contains(key))
            {
                continue;
            }

            if (!WebhookFields.Contains(key))
            {
                throw new ArgumentException($"{where}:{key}: not a webhook setting (one of {string.Join(", ", WebhookFields.Order(StringComparer.Ordinal))})");
            }

            settings[key] = key is "payload" or "cancelPayload" ? ParsedPayload(value) : value?.DeepClone();
        }

        var parameters = entry["parameters"] is JsonArray list
            ? list.OfType<JsonObject>().Select((p, i) => PreconfiguredWebhookParameter.FromJson(p, $"{where}:parameters:{i}")).ToList()
            : [];
        var duplicate = parameters.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{where}:parameters: '{duplicate.Key}' is defined twice");
        }

        return new PreconfiguredWebhook(type, entry["label"].AsString() ?? type, entry["description"].AsString() ?? "", parameters, settings);
    }

    /// <summary>A payload written as JSON text in a string is that JSON (configuration files often carry it that way).</summary>
    private static JsonNode? ParsedPayload(JsonNode? value)
    {
        if (value.AsString() is { } text && text.TrimStart() is ['{' or '[', ..])
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return JsonValue.Create(text);
            }
        }

        return value?.DeepClone();
    }
}

/// <summary>A field pipeline authors fill in (<c>parameterValues.name</c>); one without <see cref="DefaultValue"/> is required.</summary>
public sealed record PreconfiguredWebhookParameter(string Name, string Label, string Description, string Type, string? DefaultValue)
{
    public bool IsRequired => DefaultValue is null;

    public static PreconfiguredWebhookParameter FromJson(JsonObject json, string where)
    {
        var name = json["name"].AsString();
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"{where}:name: '{name}' is not a parameter name (letters, digits, '-' or '_')");
        }

        return new PreconfiguredWebhookParameter(name, json["label"].AsString() ?? name, json["description"].AsString() ?? "",
            json["type"].AsString() ?? "string", json["defaultValue"] is { } d ? d.AsString() ?? d.ToJsonString() : null);
    }

    public JsonObject ToJson() => new()
    {
        ["name"] = Name, ["label"] = Label, ["description"] = Description, ["type"] = Type, ["defaultValue"] = DefaultValue, ["required"] = IsRequired,
    };
}
