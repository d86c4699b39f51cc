using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Ids;
using Mizzen.Core.Json;
using Mizzen.Persistence.Pipelines;
using Mizzen.Server.Errors;
using Mizzen.Triggers;
using Mizzen.Triggers.Webhook;

namespace Mizzen.Server.Triggers;

/// <summary>
/// Echo's webhook route and the triggers' status: <c>POST /webhooks/webhook/{source}</c> starts every pipeline whose enabled
/// <c>webhook</c> trigger has that <c>source</c> and whose <c>payloadConstraints</c> hold; <c>GET /pipelines/{app}/{name}/triggers</c>
/// shows each trigger of a pipeline with the last event addressed to it and what it did.
/// </summary>
public static class TriggerEndpoints
{
    /// <summary>Headers that carry a sender's delivery id, first found wins: a redelivery with the same id starts nothing new.</summary>
    private static readonly string[] DeliveryHeaders = ["X-Event-Id", "X-Request-Id", "X-GitHub-Delivery", "X-Gitlab-Event-UUID"];

    public static IEndpointRouteBuilder MapTriggerEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhooks/webhook/{source}", async (string source, HttpContext http, TriggerDispatcher dispatcher, TimeProvider time, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadObjectAsync(http.Request, ct, emptyIsEmptyObject: true);
            if (body["parameters"] is not null and not JsonObject)
            {
                throw new ValidationException("parameters", "must be an object of name: value");
            }

            if (body["artifacts"] is not null and not JsonArray)
            {
                throw new ValidationException("artifacts", "must be a list of artifacts ({type, name, version, reference ...})");
            }

            var deliveryId = DeliveryHeaders.Select(h => http.Request.Headers[h].ToString()).FirstOrDefault(v => v.Length > 0)
                             ?? body["eventId"].AsString()
                             ?? Ulid.NewUlid(time);
            var from = http.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
            var outcomes = await dispatcher.DispatchAsync(WebhookTriggerType.EventFor(source, body, deliveryId, from), ct);
            return Results.Ok(new JsonObject
            {
                ["eventProcessed"] = true,
                ["eventId"] = deliveryId,
                ["executions"] = new JsonArray([.. outcomes.Select(o => (JsonNode)TriggerStatusStore.ToJson(o))]),
            });
        });

        routes.MapGet("/pipelines/{app}/{name}/triggers", async (string app, string name, IPipelineConfigStore configs, TriggerStatusStore status, CancellationToken ct) =>
        {
            var config = await configs.FindByNameAsync(app, name, ct) ?? throw new NotFoundException($"application '{app}' has no pipeline named '{name}'");
            var triggers = config.Json["triggers"] as JsonArray ?? [];
            var result = new JsonArray();
            for (var i = 0; i < triggers.Count; i++)
            {
                if (triggers[i] is not JsonObject trigger)
                {
                    continue;
                }

                var entry = new JsonObject { ["index"] = i, ["trigger"] = trigger.DeepClone() };
                if (config.Id is { } id && await status.GetAsync(id, i, ct) is { } last)
                {
                    entry["lastEvent"] = TriggerStatusStore.ToJson(last);
                }

                result.Add(entry);
            }

            return Results.Ok(result);
        });
        return routes;
    }
}
