using System.Text.Json.Nodes;
using Mizzen.Orchestration.Artifacts;

namespace Mizzen.Server.Artifacts;

/// <summary>
/// Gate's <c>GET /artifacts/credentials</c>: the artifact accounts Deck offers in its artifact pickers, each with the types it serves.
/// Only names and types: credentials and base URLs never leave the server.
/// </summary>
public static class ArtifactEndpoints
{
    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/artifacts/credentials", (ArtifactAccounts accounts) =>
            new JsonArray([.. accounts.All.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["types"] = new JsonArray([.. a.Types.Select(t => (JsonNode)t)]),
            })]));
        return routes;
    }
}
