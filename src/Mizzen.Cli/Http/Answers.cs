using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Core.Json;

namespace Mizzen.Cli.Http;

/// <summary>Reads server answers into Core's model (<see cref="MizzenJson.Options"/>), with an error a user can report.</summary>
internal static class Answers
{
    public static T As<T>(JsonNode? node, string what)
    {
        try
        {
            return node is null
                ? throw new CliException($"the server sent no {what}")
                : node.Deserialize<T>(MizzenJson.Options) ?? throw new CliException($"the server sent no {what}");
        }
        catch (JsonException e)
        {
            throw new CliException($"the server's answer is not a valid {what}: {e.Message}");
        }
    }

    public static JsonArray Array(JsonNode? node, string what) =>
        node as JsonArray ?? throw new CliException($"the server's answer is not a list of {what}");

    public static JsonObject Object(JsonNode? node, string what) =>
        node as JsonObject ?? throw new CliException($"the server's answer is not a {what}");
}
