using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.StaticAssets;

namespace Mizzen.Server.Security.Authentication;

/// <summary>
/// With authentication on, a caller that is not signed in reaches only what signing in needs (the login page and routes, the UI's
/// stylesheet and scripts, <c>/health</c>) and the routes the permission table calls public (<see cref="Authorization.PermissionRouteTable"/>:
/// webhooks, which carry their own secret), so one table says what is open: a browser asking for a page is sent to the login page, anything else gets a 401 ProblemDetails
/// (with the bearer handler's reason when a token was refused).
/// </summary>
public sealed class SignInRequirement(RequestDelegate next, MizzenAuth auth, IProblemDetailsService problems)
{
    public const string LoginPage = "/ui/login";

    private static readonly string[] OpenPrefixes = ["/health", "/auth/login", "/auth/oidc/", "/_framework/", "/_content/", LoginPage];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!auth.Enabled || context.User.Identity is { IsAuthenticated: true } || IsOpen(context))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect($"{LoginPage}?returnUrl={Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString)}");
            return;
        }

        var refused = (await context.AuthenticateAsync()).Failure?.Message; // the handler's cached result: why a token was refused
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ProblemAnswer.WriteAsync(problems, new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Sign-in required",
                Detail = refused ?? "this server requires signing in: send an API token (Authorization: Bearer mzn_...; `mizzen login` stores one) or sign in at /ui/login",
                Instance = request.Path,
            },
        });
    }

    private static bool IsOpen(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/auth/user", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(context.Request.Method))
        {
            return true; // who am I: answers "not signed in" rather than 401, for the UI and the CLI
        }

        return OpenPrefixes.Any(p => path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
               || (context.GetEndpoint() is { } endpoint && Authorization.PermissionRouteTable.For(endpoint) is { Count: > 0 } rules && rules.All(r => r.Public))
               || (HttpMethods.IsGet(context.Request.Method) && context.GetEndpoint()?.Metadata.GetMetadata<StaticAssetDescriptor>() is not null);
    }
}
