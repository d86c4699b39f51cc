using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mizzen.Orchestration.Stages.Webhook;

/// <summary>A webhook (or status endpoint) response as stored in the stage: Orca's <c>statusCode</c>/<c>statusCodeValue</c>/<c>headers</c>/<c>body</c>.</summary>
public sealed record WebhookResponse(int StatusCode, JsonObject Headers, JsonNode? Body, Uri? Location)
{
    /// <summary>Response headers whose values are credentials; their names are kept, their values are not.</summary>
    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token",
    };

    /// <summary>Spring's <c>HttpStatus</c> names for codes whose .NET enum name is ambiguous or differs.</summary>
    private static readonly Dictionary<int, string> SpringNames = new()
    {
        [200] = "OK", [300] = "MULTIPLE_CHOICES", [301] = "MOVED_PERMANENTLY", [302] = "FOUND", [303] = "SEE_OTHER",
        [307] = "TEMPORARY_REDIRECT", [413] = "PAYLOAD_TOO_LARGE", [414] = "URI_TOO_LONG", [416] = "REQUESTED_RANGE_NOT_SATISFIABLE",
    };

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["statusCode"] = StatusName(StatusCode),
            ["statusCodeValue"] = (long)StatusCode,
            ["headers"] = Headers.DeepClone(),
        };
        if (Body is not null)
        {
            json["body"] = Body.DeepClone();
        }

        return json;
    }

    /// <summary><c>OK</c>, <c>TOO_MANY_REQUESTS</c>, <c>INTERNAL_SERVER_ERROR</c> ... (what Orca writes), or the number.</summary>
    public static string StatusName(int code)
    {
        if (SpringNames.TryGetValue(code, out var known))
        {
            return known;
        }

        var name = ((HttpStatusCode)code).ToString();
        if (int.TryParse(name, out _))
        {
            return name;
        }

        var snake = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                snake.Append('_');
            }

            snake.Append(char.ToUpperInvariant(name[i]));
        }

        return snake.ToString();
    }

    public static async Task<WebhookResponse> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = SecretHeaders.Contains(name) ? "******" : string.Join(",", values);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new WebhookResponse((int)response.StatusCode, headers, ParseBody(text), response.Headers.Location);
    }

    /// <summary>JSON when the body parses as JSON, else the text; null for an empty body.</summary>
    public static JsonNode? ParseBody(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
