using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Http;

/// <summary>
/// Turns an error answer into a <see cref="CliException"/>: a ProblemDetails' <c>detail</c> (or <c>title</c>) is the message
/// and each entry of its <c>errors</c> extension becomes a detail line.
/// </summary>
internal static class ProblemDetailsReader
{
    private const int MaxBodyEcho = 200;

    public static CliException ToException(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        var problem = TryParseObject(body);
        var message = problem?["detail"].AsString() is { Length: > 0 } detail ? detail
            : problem?["title"].AsString() is { Length: > 0 } title ? title
            : problem?["message"].AsString() is { Length: > 0 } spinnakerMessage ? spinnakerMessage
            : Fallback(method, path, status, body);
        return new CliException(message, ExitCodes.Failed, problem is null ? [] : Errors(problem["errors"]));
    }

    /// <summary>Mizzen's <c>[{location, message}]</c>, plain strings, or ASP.NET's <c>{field: [messages]}</c>.</summary>
    internal static List<string> Errors(JsonNode? errors)
    {
        var lines = new List<string>();
        switch (errors)
        {
            case JsonArray array:
                foreach (var entry in array)
                {
                    lines.Add(entry is JsonObject item ? Entry(item) : entry.AsString() ?? entry?.ToJsonString() ?? "null");
                }

                break;
            case JsonObject byField:
                foreach (var (field, messages) in byField)
                {
                    var list = messages as JsonArray ?? [messages?.DeepClone()];
                    lines.AddRange(list.Select(m => string.IsNullOrEmpty(field) ? m.AsString() ?? "" : $"{field}: {m.AsString()}"));
                }

                break;
        }

        return lines;
    }

    private static string Entry(JsonObject item)
    {
        var message = item["message"].AsString() ?? item["description"].AsString() ?? item.ToJsonString();
        var location = item["location"].AsString();
        return string.IsNullOrEmpty(location) ? message : $"{location}: {message}";
    }

    private static string Fallback(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        var summary = $"{method} /{path} answered {(int)status} {status}";
        var text = body.Trim();
        if (text.Length == 0)
        {
            return summary;
        }

        var firstLine = text.Split('\n', 2)[0].Trim();
        return $"{summary}: {(firstLine.Length > MaxBodyEcho ? firstLine[..MaxBodyEcho] + "…" : firstLine)}";
    }

    private static JsonObject? TryParseObject(string body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
