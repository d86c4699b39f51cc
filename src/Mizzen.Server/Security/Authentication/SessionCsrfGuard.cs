using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// A change made with the UI's session cookie (not an API token) must carry an antiforgery token: the UI's forms carry one (Blazor adds it
/// and <c>UseAntiforgery</c> checks it), its live connection is same-origin only (<see cref="RequestOriginGuard"/>), and any other
/// cookie-authenticated POST, PUT, PATCH or DELETE needs the <c>RequestVerificationToken</c> header, which a page on another site cannot
/// read. Together with <c>SameSite=Lax</c> and the origin checks this keeps a signed-in browser from being made to change anything.
/// Scripts and the CLI use API tokens, which a browser never sends by itself, so they need nothing more.
/// </summary>
public sealed class SessionCsrfGuard(RequestDelegate next, MizzenAuth auth, IAntiforgery antiforgery, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!auth.Enabled || context.User.Identity is not { IsAuthenticated: true } || BearerTokenHandler.BearerToken(request) is not null
            || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || ChecksItself(context) || await antiforgery.IsRequestValidAsync(context))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await ProblemAnswer.WriteAsync(problems, new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Antiforgery token required",
                Detail = "a change made with the session cookie needs the antiforgery token (header RequestVerificationToken); scripts should use an API token (Authorization: Bearer)",
                Instance = request.Path,
            },
        });
    }

    /// <summary>The UI's forms and live connection, and the sign-in routes: each checks its own antiforgery token or origin.</summary>
    private static bool ChecksItself(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true }
            || metadata.GetMetadata<Microsoft.AspNetCore.SignalR.HubMetadata>() is not null
            || metadata.GetMetadata<Microsoft.AspNetCore.Http.Connections.NegotiateMetadata>() is not null
            || context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase));
}
