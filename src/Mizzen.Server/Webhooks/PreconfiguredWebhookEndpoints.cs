using System.Text.Json.Nodes;
using Mizzen.Core.Json;
using Mizzen.Orchestration.Secrets;
using Mizzen.Orchestration.Stages.PreconfiguredWebhook;

namespace Mizzen.Server.Webhooks;

/// <summary>
/// Secrets and the operator's webhook stage types on the server: the secret store, one stage type per
/// <c>Mizzen:Webhooks:Preconfigured</c> entry, and Gate's <c>GET /webhooks/preconfigured</c> catalogue for stage pickers.
/// </summary>
public static class PreconfiguredWebhookEndpoints
{
    public static IServiceCollection AddSecretsAndPreconfiguredWebhooks(this IServiceCollection services, IConfiguration configuration) =>
        services.AddMizzenSecrets(configuration).AddPreconfiguredWebhooks(configuration);

    /// <summary>
    /// <c>GET /webhooks/preconfigured</c>: each type with its label, description, parameters and which settings the operator fixed
    /// (their names only: url, headers and payload stay on the server), and <c>problems</c> naming missing secrets.
    /// </summary>
    public static IEndpointRouteBuilder MapPreconfiguredWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/webhooks/preconfigured", (PreconfiguredWebhooks hooks) =>
        {
            var list = new JsonArray();
            foreach (var hook in hooks.All)
            {
                list.Add(new JsonObject
                {
                    ["type"] = hook.Type,
                    ["label"] = hook.Label,
                    ["description"] = hook.Description,
                    ["waitForCompletion"] = hook.Settings["waitForCompletion"].AsBool() ?? false,
                    ["noUserConfigurableFields"] = true,
                    ["preconfiguredProperties"] = new JsonArray([.. hook.Settings.Select(p => (JsonNode)p.Key)]),
                    ["parameters"] = new JsonArray([.. hook.Parameters.Select(p => (JsonNode)p.ToJson())]),
                    ["problems"] = new JsonArray([.. hooks.Problems(hook).Select(p => (JsonNode)p)]),
                });
            }

            return Results.Text(list.ToJsonString(MizzenJson.Options), "application/json");
        });
        return routes;
    }
}
