using System.Globalization;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>A webhook stage's (evaluated) context, read once per task run. Field names are Orca's.</summary>
public sealed record WebhookSettings
{
    public static readonly IReadOnlySet<int> DefaultFailFastStatusCodes = new HashSet<int> { 504 };

    public string Url { get; init; } = "";
    public string Method { get; init; } = "POST";
    public JsonNode? Payload { get; init; }
    public JsonObject? CustomHeaders { get; init; }
    public IReadOnlySet<int> FailFastStatusCodes { get; init; } = DefaultFailFastStatusCodes;
    public IReadOnlySet<int> RetryStatusCodes { get; init; } = new HashSet<int>();
    public bool WaitForCompletion { get; init; }
    public bool MonitorOnly { get; init; }
    public string StatusUrlResolution { get; init; } = "getMethod";
    public string? StatusUrlJsonPath { get; init; }
    public string? StatusJsonPath { get; init; }
    public string? ProgressJsonPath { get; init; }
    public IReadOnlySet<string> SuccessStatuses { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> CanceledStatuses { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> TerminalStatuses { get; init; } = new HashSet<string>();

    /// <summary><c>retries: {"503": {maxAttempts: 3}}</c>: how often the status endpoint may answer a code before the stage fails.</summary>
    public IReadOnlyDictionary<int, int> MaxAttemptsByStatusCode { get; init; } = new Dictionary<int, int>();

    public string? CancelEndpoint { get; init; }
    public string CancelMethod { get; init; } = "POST";
    public JsonNode? CancelPayload { get; init; }

    /// <summary>Which secrets the request may resolve: a pipeline's own fields, or a preconfigured stage's operator configuration.</summary>
    public SecretSource Secrets { get; init; } = SecretSource.PipelineField;

    public static WebhookSettings From(JsonObject context) => new()
    {
        Url = context["url"].AsString()?.Trim() ?? "",
        Method = Upper(context["method"].AsString()) ?? "POST",
        Payload = context["payload"],
        CustomHeaders = context["customHeaders"] as JsonObject,
        FailFastStatusCodes = context.ContainsKey("failFastStatusCodes") ? Codes(context["failFastStatusCodes"]) : DefaultFailFastStatusCodes,
        RetryStatusCodes = Codes(context["retryStatusCodes"]).Union(Codes(context["webhookRetryStatusCodes"])).ToHashSet(),
        WaitForCompletion = context["waitForCompletion"].AsBool() ?? false,
        MonitorOnly = context["monitorOnly"].AsBool() ?? false,
        StatusUrlResolution = context["statusUrlResolution"].AsString() ?? "getMethod",
        StatusUrlJsonPath = Blank(context["statusUrlJsonPath"].AsString()),
        StatusJsonPath = Blank(context["statusJsonPath"].AsString()),
        ProgressJsonPath = Blank(context["progressJsonPath"].AsString()),
        SuccessStatuses = Statuses(context["successStatuses"]),
        CanceledStatuses = Statuses(context["canceledStatuses"]),
        TerminalStatuses = Statuses(context["terminalStatuses"]),
        MaxAttemptsByStatusCode = Retries(context["retries"]),
        CancelEndpoint = Blank(context["cancelEndpoint"].AsString()),
        CancelMethod = Upper(context["cancelMethod"].AsString()) ?? "POST",
        CancelPayload = context["cancelPayload"],
    };

    /// <summary>A list of codes as numbers, numeric strings, or one comma-separated string.</summary>
    public static HashSet<int> Codes(JsonNode? node)
    {
        var texts = node switch
        {
            JsonArray array => array.Select(n => n.AsString() ?? ""),
            JsonValue value => (value.AsString() ?? "").Split(','),
            _ => [],
        };
        return texts.Select(t => int.TryParse(t.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : -1)
            .Where(code => code > 0)
            .ToHashSet();
    }

    /// <summary>Comma-separated, compared upper-case (Orca).</summary>
    public static HashSet<string> Statuses(JsonNode? node) =>
        (node switch
        {
            JsonArray array => array.Select(n => n.AsString() ?? ""),
            JsonValue value => (value.AsString() ?? "").Split(','),
            _ => [],
        }).Select(s => s.Trim().ToUpperInvariant()).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<int, int> Retries(JsonNode? node)
    {
        var result = new Dictionary<int, int>();
        if (node is not JsonObject retries)
        {
            return result;
        }

        foreach (var (code, config) in retries)
        {
            if (int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) && config?["maxAttempts"].AsLong() is { } max)
            {
                result[status] = (int)max;
            }
        }

        return result;
    }

    private static string? Upper(string? text) => Blank(text)?.ToUpperInvariant();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
