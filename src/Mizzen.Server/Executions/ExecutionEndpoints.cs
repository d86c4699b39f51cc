using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Expressions;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Engine;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Server.Errors;
using Mizzen.Server.Security;

namespace Mizzen.Server.Executions;

/// <summary>Gate's execution routes: trigger, read, list, cancel/pause/resume, judge/skip, restart, evaluate an expression.</summary>
public static class ExecutionEndpoints
{
    public static IEndpointRouteBuilder MapExecutionEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/pipelines/{app}/{nameOrId}", async (string app, string nameOrId, HttpContext http, IPipelineConfigStore configs, IExecutionRunner runner, CancellationToken ct) =>
        {
            var trigger = await RequestBody.ReadObjectAsync(http.Request, ct, emptyIsEmptyObject: true);
            var config = await configs.FindByNameAsync(app, nameOrId, ct)
                         ?? (await configs.GetAsync(nameOrId, ct) is { } byId && string.Equals(byId.Application, app, StringComparison.OrdinalIgnoreCase) ? byId : null)
                         ?? throw new NotFoundException($"application '{app}' has no pipeline named '{nameOrId}'");
            if (trigger["parameters"] is not null and not JsonObject)
            {
                throw new ValidationException("parameters", "must be an object of name: value");
            }

            TriggerArtifactsShape.Ensure(trigger); // Gate takes artifacts and expectedArtifactIds in the trigger body
            var execution = await runner.StartAsync(config, trigger, http.User(), ct);
            var reference = $"/pipelines/{execution.Id}";
            return TypedResults.Accepted(reference, new { @ref = reference });
        });

        routes.MapGet("/pipelines/{id}", async (string id, IExecutionStore executions, CancellationToken ct) =>
            Execution(await executions.GetAsync(id, ct) ?? throw Missing(id)));

        routes.MapGet("/applications/{app}/pipelines", async (string app, int? limit, string? statuses, string? pipelineName, string? before, string? expand,
            IExecutionStore executions, CancellationToken ct) =>
        {
            var query = new ExecutionQuery
            {
                Application = app.ToLowerInvariant(),
                Limit = Math.Clamp(limit ?? 10, 1, 1000),
                Statuses = ParseStatuses(statuses),
                PipelineName = pipelineName,
                Before = before,
                Type = ExecutionType.Pipeline,
                LimitPerPipeline = true,
                Expand = ParseExpand(expand),
            };
            var list = await executions.ListAsync(query, ct);
            return Results.Stream(stream => ExecutionSerializer.WriteListAsync(stream, list, ct), "application/json");
        });

        routes.MapPut("/pipelines/{id}/cancel", async (string id, string? reason, HttpContext http, IExecutionRunner runner, CancellationToken ct) =>
        {
            await runner.CancelAsync(id, http.User(), reason, ct);
            return Results.Accepted($"/pipelines/{id}");
        });
        routes.MapPut("/pipelines/{id}/pause", async (string id, HttpContext http, IExecutionRunner runner, CancellationToken ct) =>
        {
            await runner.PauseAsync(id, http.User(), ct);
            return Results.Accepted($"/pipelines/{id}");
        });
        routes.MapPut("/pipelines/{id}/resume", async (string id, HttpContext http, IExecutionRunner runner, CancellationToken ct) =>
        {
            await runner.ResumeAsync(id, http.User(), ct);
            return Results.Accepted($"/pipelines/{id}");
        });
        routes.MapPatch("/pipelines/{id}/stages/{stageId}", async (string id, string stageId, HttpContext http, IExecutionRunner runner, CancellationToken ct) =>
        {
            var patch = await RequestBody.ReadObjectAsync(http.Request, ct);
            var stage = await runner.UpdateStageAsync(id, stageId, patch, http.User(), ct);
            return Results.Text(System.Text.Json.JsonSerializer.Serialize(stage, Core.Json.MizzenJson.Context.StageExecution), "application/json");
        });
        routes.MapPut("/pipelines/{id}/stages/{stageId}/restart", async (string id, string stageId, HttpContext http, IExecutionRunner runner, CancellationToken ct) =>
        {
            await runner.RestartStageAsync(id, stageId, http.User(), ct);
            return Results.Accepted($"/pipelines/{id}");
        });

        routes.MapGet("/pipelines/{id}/evaluateExpression", async (string id, string expression, IExecutionStore executions, IExpressionEvaluator evaluator, CancellationToken ct) =>
        {
            var execution = await executions.GetAsync(id, ct) ?? throw Missing(id);
            return Evaluate(evaluator, expression, new ExpressionScope(execution, User: execution.Authentication.User));
        });
        routes.MapGet("/pipelines/{id}/{stageId}/evaluateExpression", async (string id, string stageId, string expression, IExecutionStore executions, IExpressionEvaluator evaluator, CancellationToken ct) =>
        {
            var execution = await executions.GetAsync(id, ct) ?? throw Missing(id);
            var stage = execution.StageById(stageId) ?? throw new NotFoundException($"execution {id} has no stage {stageId}");
            return Evaluate(evaluator, expression, new ExpressionScope(execution, stage, User: execution.Authentication.User));
        });
        return routes;
    }

    private static IResult Evaluate(IExpressionEvaluator evaluator, string expression, ExpressionScope scope)
    {
        var text = expression.Contains("${", StringComparison.Ordinal) ? expression : "${" + expression + "}";
        var result = evaluator.Process(JsonValue.Create(text), scope);
        var body = new JsonObject
        {
            ["result"] = result.Value?.DeepClone(),
            ["detail"] = result.Summary.HasFailures ? result.Summary.ToJson() : null,
        };
        return Results.Text(body.ToJsonString(MizzenJson.Options), "application/json");
    }

    /// <summary>Gate's <c>expand</c>: absent or <c>true</c> lists stages whole, <c>false</c> without their context, outputs and tasks.</summary>
    internal static bool ParseExpand(string? expand) =>
        string.IsNullOrEmpty(expand) || (bool.TryParse(expand, out var value)
            ? value
            : throw new ValidationException("expand", $"'{expand}' is not true or false"));

    internal static IReadOnlyCollection<ExecutionStatus>? ParseStatuses(string? statuses)
    {
        if (string.IsNullOrWhiteSpace(statuses))
        {
            return null;
        }

        var parsed = new List<ExecutionStatus>();
        foreach (var name in statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            parsed.Add(ExecutionStatusExtensions.TryParseWireName(name, out var status)
                ? status
                : throw new ValidationException("statuses", $"'{name}' is not a status; use NOT_STARTED, RUNNING, PAUSED, SUCCEEDED, FAILED_CONTINUE, TERMINAL, CANCELED, STOPPED, SKIPPED"));
        }

        return parsed;
    }

    private static NotFoundException Missing(string id) => new($"execution {id} does not exist");

    internal static IResult Execution(PipelineExecution execution) =>
        Results.Text(ExecutionSerializer.Serialize(execution), "application/json");
}
