using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Ids;
using Mizzen.Core.Json;
using Mizzen.Persistence.Pipelines;
using Mizzen.Server.Errors;
using Mizzen.Triggers;
using Mizzen.Triggers.Git;
using Mizzen.Triggers.Webhook;

namespace Mizzen.Server.Triggers;

/// <summary>
/// Echo's webhook routes and the triggers' status: <c>POST /webhooks/webhook/{source}</c> starts every pipeline whose enabled
/// <c>webhook</c> trigger has that <c>source</c> and whose <c>payloadConstraints</c> hold; <c>POST /webhooks/git/{source}</c> takes
/// GitHub, GitLab and Bitbucket pushes (a signature that does not match a trigger's secret is a 401 that starts nothing);
/// <c>GET /pipelines/{app}/{name}/triggers</c>
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

        routes.MapPost("/webhooks/git/{source}", async (string source, HttpContext http, TriggerIndex index, TriggerDispatcher dispatcher, TimeProvider time, CancellationToken ct) =>
        {
            if (source.ToLowerInvariant() is not ("github" or "gitlab" or "bitbucket" or "stash"))
            {
                throw new NotFoundException($"git source '{source}' is not one of github, gitlab, bitbucket, stash");
            }

            // The raw bytes: GitHub signs exactly what it sent.
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, ct);
            var raw = buffer.ToArray();
            var body = raw.Length == 0 ? [] : JsonInput.ParseObject(System.Text.Encoding.UTF8.GetString(raw), "the request body").Root;
            string? Header(string name) => http.Request.Headers[name].ToString() is { Length: > 0 } value ? value : null;
            var deliveryId = DeliveryHeaders.Select(Header).FirstOrDefault(v => v is not null) ?? Ulid.NewUlid(time);
            if (GitPush.Parse(source, body, Header) is not { } push)
            {
                return Results.Ok(new JsonObject { ["eventProcessed"] = false, ["eventId"] = deliveryId, ["reason"] = "not a branch push", ["executions"] = new JsonArray() });
            }

            if (GitTriggerType.Authenticate(await index.OfTypeAsync("git", ct), push, raw) is { } refused)
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Signature does not match", detail: refused + "; nothing was started");
            }

            var from = http.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
            var outcomes = await dispatcher.DispatchAsync(GitTriggerType.EventFor(push, deliveryId, from), ct);
            return Results.Ok(new JsonObject
            {
                ["eventProcessed"] = true,
                ["eventId"] = deliveryId,
                ["executions"] = new JsonArray([.. outcomes.Select(o => (JsonNode)TriggerStatusStore.ToJson(o))]),
            });
        });

        routes.MapGet("/pipelines/{app}/{name}/triggers", async (string app, string name, IPipelineConfigStore configs, TriggerOverview overview, CancellationToken ct) =>
        {
            var config = await configs.FindByNameAsync(app, name, ct) ?? throw new NotFoundException($"application '{app}' has no pipeline named '{name}'");
            return Results.Ok(new JsonArray([.. (await overview.ForAsync(config, ct)).Select(t => (JsonNode)TriggerOverview.ToJson(t))]));
        });
        return routes;
    }
}
