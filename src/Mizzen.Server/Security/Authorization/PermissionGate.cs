using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// Checks every request against its route's <see cref="RouteRule"/>s before the route runs, once authentication is on (off: nothing is
/// checked). Not signed in on a route that is not public: 401. Signed in but not allowed: 403 ProblemDetails naming the missing authorization
/// and the resource. A read-only caller may only GET (and use routes that change nothing). A route no rule decides is refused (403), so a
/// route added without a decision is closed, not open. Runs after authentication (it reads <see cref="HttpContext.User"/>) and inside the
/// exception handler (a <see cref="ForbiddenException"/> becomes the 403).
/// </summary>
public sealed partial class PermissionGate(RequestDelegate next, PermissionEvaluator evaluator, IProblemDetailsService problems, ILogger<PermissionGate> logger)
{
    private readonly ConcurrentDictionary<Endpoint, IReadOnlyList<RouteRule>> rules = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (!evaluator.Enabled || endpoint is null)
        {
            await next(context);
            return;
        }

        var routeRules = rules.GetOrAdd(endpoint, PermissionRouteTable.For);
        var caller = evaluator.For(context.User);
        context.Features.Set(caller);
        if (routeRules.Count == 0)
        {
            LogUndecided(logger, context.Request.Method, endpoint.DisplayName ?? context.Request.Path.Value ?? "");
            throw new ForbiddenException($"no permission is defined for {context.Request.Method} {context.Request.Path}; only routes with a permission rule can be called");
        }

        var isPublic = true;
        var changesNothing = true;
        foreach (var rule in routeRules)
        {
            isPublic &= rule.Public;
            changesNothing &= rule.ChangesNothing || rule.Public;
        }

        if (!isPublic && !caller.SignedIn)
        {
            await UnauthorizedAsync(context);
            return;
        }

        var method = context.Request.Method;
        if (caller.IsReadOnly && !isPublic && !changesNothing && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)))
        {
            Deny(context, $"'{caller.Name}' is read-only (a read-only token or role may list and watch, and change nothing): {method} {context.Request.Path} is not allowed");
        }

        foreach (var rule in routeRules)
        {
            if (await rule.DenialAsync(context, caller, evaluator, context.RequestAborted) is { } denial)
            {
                Deny(context, denial);
            }
        }

        await next(context);
    }

    private void Deny(HttpContext context, string denial)
    {
        LogDenied(logger, context.Request.Method, context.Request.Path.Value ?? "", denial);
        throw new ForbiddenException(denial);
    }

    private async Task UnauthorizedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Sign-in required",
                Detail = "this route requires signing in: send an API token (Authorization: Bearer mzn_...) or sign in at the UI",
                Instance = context.Request.Path,
            },
        });
    }

    [LoggerMessage(EventId = 9701, Level = LogLevel.Information, Message = "Permission denied: {Method} {Path}: {Denial}")]
    private static partial void LogDenied(ILogger logger, string method, string path, string denial);

    [LoggerMessage(EventId = 9702, Level = LogLevel.Warning, Message = "Refused {Method} {Endpoint}: the route has no permission rule (add one to PermissionRouteTable)")]
    private static partial void LogUndecided(ILogger logger, string method, string endpoint);
}

/// <summary>The caller <see cref="PermissionGate"/> checked, for a route that checks more itself (an application named in its body).</summary>
public static class PermissionHttpExtensions
{
    public static Caller Caller(this HttpContext http) =>
        http.Features.Get<Caller>() ?? http.RequestServices.GetRequiredService<PermissionEvaluator>().For(http.User);
}
