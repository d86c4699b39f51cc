using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Mizzen.Triggers.PubSub;

namespace Mizzen.Server.Triggers;

/// <summary>
/// Gate's <c>GET /pubsub/subscriptions</c> (echo's subscription list, what Deck offers in a pubsub trigger's subscription picker): each
/// configured subscription as <c>{pubsubSystem, subscriptionName}</c>, where <c>subscriptionName</c> is the name triggers use. Nothing
/// about credentials is listed.
/// </summary>
public static class PubSubEndpoints
{
    public static IEndpointRouteBuilder MapPubSubEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/pubsub/subscriptions", (IOptions<GooglePubSubOptions> options) => Results.Ok(new JsonArray([
            .. options.Value.Subscriptions.Select(s => (JsonNode)new JsonObject { ["pubsubSystem"] = PubSubTriggerType.Google, ["subscriptionName"] = s.Name }),
        ])));
        return routes;
    }
}
