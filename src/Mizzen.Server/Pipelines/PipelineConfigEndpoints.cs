using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Core.Secrets;
using Mizzen.Orchestration.Validation;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Pipelines;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;
using Mizzen.Server.Security.Authorization;

namespace Mizzen.Server.Pipelines;

/// <summary>Pipeline configs (Front50 through Gate): list, get, save with validation, delete, history, diff.</summary>
public static class PipelineConfigEndpoints
{
    public static IEndpointRouteBuilder MapPipelineConfigEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/applications/{app}/pipelineConfigs", async (string app, IPipelineConfigStore store, CancellationToken ct) =>
            Json((await store.ListAsync(app, ct)).Select(c => (JsonNode)c.Json).ToArray()));
        routes.MapGet("/applications/{app}/pipelineConfigs/{name}", async (string app, string name, IPipelineConfigStore store, CancellationToken ct) =>
            Json((await store.FindByNameAsync(app, name, ct) ?? throw NotFound(app, name)).Json));
        routes.MapGet("/pipelineConfigs/{id}", async (string id, IPipelineConfigStore store, CancellationToken ct) =>
            Json((await store.GetAsync(id, ct) ?? throw new NotFoundException($"pipeline config '{id}' does not exist")).Json));

        routes.MapPost("/pipelines", async (HttpContext http, PipelineValidator validator, IApplicationStore applications, IPipelineConfigStore store, CancellationToken ct) =>
        {
            // A repeated key takes its last value (a Warning header says so); broken JSON is a 400 naming line and column.
            var input = JsonInput.ParseObject(await RequestBody.ReadTextAsync(http.Request, ct), "a pipeline config");
            await PipelinePermissions.DemandSaveAsync(http.RequestServices.GetRequiredService<PermissionEvaluator>(), http.Caller(), input.Root, ct);
            var (saved, warnings) = await PipelineConfigSaving.SaveAsync(validator, applications, store, input, http.User(), ct);
            // Saved with warnings (a repeated key, a trigger nothing runs yet): one HTTP Warning header (code 199) each.
            InputWarnings.AddTo(http.Response, warnings);
            return Json(saved.Json);
        });
        routes.MapPost("/pipelines/validate", async (HttpContext http, PipelineValidator validator, CancellationToken ct) =>
        {
            string text;
            try
            {
                text = await RequestBody.ReadTextAsync(http.Request, ct);
            }
            catch (ValidationException e)
            {
                return TypedResults.Ok(new { valid = false, errors = Entries(e.Problems), warnings = Entries([]) });
            }

            var (errors, warnings) = PipelineConfigSaving.Validate(validator, text);
            return TypedResults.Ok(new { valid = errors.Count == 0, errors = Entries(errors), warnings = Entries(warnings) });
        });
        routes.MapDelete("/pipelines/{app}/{name}", async (string app, string name, IPipelineConfigStore store, CancellationToken ct) =>
        {
            var config = await store.FindByNameAsync(app, name, ct) ?? throw NotFound(app, name);
            await store.DeleteAsync(config.Id!, ct);
            return Results.NoContent();
        });

        routes.MapGet("/pipelineConfigs/{id}/history", async (string id, int? limit, IPipelineConfigStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.HistoryAsync(id, limit ?? 20, ct)).Select(Revision)));
        routes.MapGet("/pipelineConfigs/{id}/history/{revision:int}", async (string id, int revision, IPipelineConfigStore store, CancellationToken ct) =>
            TypedResults.Ok(Revision(await store.GetRevisionAsync(id, revision, ct)
                                     ?? throw new NotFoundException($"pipeline config '{id}' has no revision {revision}"))));
        routes.MapGet("/pipelineConfigs/{id}/diff", async (string id, int from, int to, IPipelineConfigStore store, CancellationToken ct) =>
        {
            var a = await store.GetRevisionAsync(id, from, ct) ?? throw new NotFoundException($"pipeline config '{id}' has no revision {from}");
            var b = await store.GetRevisionAsync(id, to, ct) ?? throw new NotFoundException($"pipeline config '{id}' has no revision {to}");
            return TypedResults.Ok(new { from, to, diff = LineDiff.Unified(PipelineConfigSaving.Pretty(a.Config.Json), PipelineConfigSaving.Pretty(b.Config.Json), $"revision {from}", $"revision {to}") });
        });
        return routes;
    }

    private static IEnumerable<object> Entries(IEnumerable<ValidationProblem> problems) =>
        problems.Select(p => new { location = p.Location, message = p.Message });

    private static NotFoundException NotFound(string app, string name) =>
        new($"application '{app}' has no pipeline named '{name}'");

    private static object Revision(PipelineConfigRevision r) =>
        new { revision = r.Revision, user = r.User, timestamp = r.Timestamp, pipeline = CredentialHeaders.RedactedCopy(r.Config.Json) };

    /// <summary>A config as the API shows it: credential header values that are not secret references (saved before they were refused) are redacted.</summary>
    private static IResult Json(JsonNode node) => Results.Text(CredentialHeaders.RedactedCopy(node)!.ToJsonString(MizzenJson.Options), "application/json");

    private static IResult Json(JsonNode[] nodes) => Json(new JsonArray(nodes.Select(n => n.DeepClone()).ToArray()));
}
