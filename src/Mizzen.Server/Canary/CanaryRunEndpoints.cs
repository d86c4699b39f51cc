using System.Text.Json.Nodes;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Stage;
using Mizzen.Canary.Storage;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;

namespace Mizzen.Server.Canary;

/// <summary>
/// Canary runs: <c>POST /v2/canaries/canary/{configId}</c> starts one (an ad-hoc orchestration with one <c>kayentaCanary</c>
/// stage, so it is durable and survives restarts) → <c>{canaryExecutionId}</c>; <c>GET /v2/canaries/canary/{configId}/{id}</c>
/// (and <c>GET /v2/canaries/canary/{id}</c>) gives its status, scores and reports; <c>POST /v2/canaries/canaryConfig/{id}/dryRun</c>
/// shows the exact queries a config makes for given scopes, what they return and, with <c>thresholds</c>, the judge's verdict on them.
/// </summary>
public static class CanaryRunEndpoints
{
    public static IEndpointRouteBuilder MapCanaryRunEndpoints(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v2/canaries/canary/{configId}", async (HttpContext http, string configId, string? application, ICanaryConfigStore store, IExecutionRunner runner, CancellationToken ct) =>
        {
            var stored = await CanaryConfigEndpoints.FindAsync(store, configId, ct);
            var request = await RequestBody.ReadObjectAsync(http.Request, ct);
            var stage = new JsonObject
            {
                ["refId"] = "1",
                ["type"] = KayentaCanaryStage.StageType,
                ["name"] = $"Canary analysis of {stored.Config.Name ?? configId}",
                ["canaryConfig"] = CanaryExecutionRequest.ToStageConfig(stored.Id, request),
            };
            var problems = KayentaCanaryValidation.Validate(stage, "request").ToList();
            if (problems.Count > 0)
            {
                throw new ValidationException(problems);
            }

            var execution = await runner.StartOrchestrationAsync(application ?? stored.Application, stage["name"]!.GetValue<string>(), [stage], http.User(), ct);
            var started = execution.Stages.First(s => s.Type == KayentaCanaryStage.StageType);
            return TypedResults.Ok(new { canaryExecutionId = CanaryExecutionId.For(execution.Id, started.Id), pipelineExecutionId = execution.Id });
        });
        routes.MapGet("/v2/canaries/canary/{configId}/{canaryExecutionId}", (string configId, string canaryExecutionId, IExecutionStore executions, ICanaryReportStore reports, CancellationToken ct) =>
            StatusAsync(canaryExecutionId, executions, reports, ct));
        routes.MapGet("/v2/canaries/canary/{canaryExecutionId}", (string canaryExecutionId, IExecutionStore executions, ICanaryReportStore reports, CancellationToken ct) =>
            StatusAsync(canaryExecutionId, executions, reports, ct));
        foreach (var prefix in new[] { "/v2/canaries/canaryConfig", "/v2/canaryConfig" })
        {
            routes.MapPost(prefix + "/{id}/dryRun", async (HttpContext http, string id, bool? fetch, ICanaryConfigStore store, CanaryDryRun dryRun, CancellationToken ct) =>
            {
                var stored = await CanaryConfigEndpoints.FindAsync(store, id, ct);
                var request = CanaryDryRunRequest.Parse(await RequestBody.ReadObjectAsync(http.Request, ct));
                var result = await dryRun.RunAsync(stored.Config, request.Scopes, fetch ?? true, request.Thresholds, ct);
                return Results.Text(CanaryRunJson.DryRun(stored.Id, result).ToJsonString(MizzenJson.Options), "application/json");
            });
        }

        return routes;
    }

    private static async Task<IResult> StatusAsync(string canaryExecutionId, IExecutionStore executions, ICanaryReportStore reports, CancellationToken ct)
    {
        var (executionId, stageId) = CanaryExecutionId.Parse(canaryExecutionId);
        var execution = await executions.GetAsync(executionId, ct) ?? throw new NotFoundException($"canary execution '{canaryExecutionId}' does not exist");
        var stage = execution.Stages.FirstOrDefault(s => stageId is null ? s.Type == KayentaCanaryStage.StageType : s.Id == stageId)
                    ?? throw new NotFoundException($"execution {executionId} has no canary stage{(stageId is null ? string.Empty : " " + stageId)}");
        var id = CanaryExecutionId.For(execution.Id, stage.Id);
        var stored = await reports.ListAsync(id, ct);
        return Results.Text(CanaryRunJson.Status(execution, stage, id, stored).ToJsonString(MizzenJson.Options), "application/json");
    }
}
