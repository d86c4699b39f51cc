using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Core.Json;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Engine;
using Mizzen.Orchestration.Validation;
using Mizzen.Persistence.Executions;
using Mizzen.Server.Errors;
using Mizzen.Server.Executions;
using Mizzen.Server.Security;

namespace Mizzen.Server.Clusters;

/// <summary>
/// Gate's generic ad-hoc task: <c>POST /tasks</c> <c>{application, description, job: [{type, ...}]}</c> answers 202
/// <c>{ref: "/tasks/&lt;id&gt;"}</c>; <c>GET /tasks/{id}</c> reads it (the same execution as <c>GET /pipelines/{id}</c>);
/// <c>GET /applications/{app}/tasks?limit=&amp;statuses=</c> lists an application's tasks (orchestrations), newest first.
/// </summary>
public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/tasks", async (HttpContext http, PipelineValidator validator, IExecutionRunner runner, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadObjectAsync(http.Request, ct);
            var application = body["application"].AsString();
            if (string.IsNullOrWhiteSpace(application))
            {
                throw new ValidationException("application", "required: the application the task belongs to");
            }

            if (body["job"] is not JsonArray { Count: > 0 } job)
            {
                throw new ValidationException("job", "required: a list of at least one stage ({type, ...})");
            }

            var description = body["description"].AsString() is { Length: > 0 } text ? text : $"{(job[0] as JsonObject)?["type"].AsString() ?? "task"} ({application})";
            var id = await OrchestrationLauncher.StartAsync(validator, runner, application, description, job, http.User(), ct);
            var reference = $"/tasks/{id}";
            return TypedResults.Accepted(reference, new { @ref = reference });
        }).WithTags("Tasks");

        routes.MapGet("/applications/{app}/tasks", async (string app, int? limit, string? statuses, IExecutionStore executions, CancellationToken ct) =>
        {
            var list = await executions.ListAsync(new ExecutionQuery
            {
                Application = app.ToLowerInvariant(),
                Limit = Math.Clamp(limit ?? 10, 1, 1000),
                Statuses = ExecutionEndpoints.ParseStatuses(statuses),
                Type = ExecutionType.Orchestration,
            }, ct);
            return Results.Stream(stream => ExecutionSerializer.WriteListAsync(stream, list, ct), "application/json");
        }).WithTags("Tasks");

        routes.MapGet("/tasks/{id}", async (string id, IExecutionStore executions, CancellationToken ct) =>
            ExecutionEndpoints.Execution(await executions.GetAsync(id, ct) ?? throw new NotFoundException($"task {id} does not exist")))
            .WithTags("Tasks");
        return routes;
    }
}
