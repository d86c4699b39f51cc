using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Mizzen.Server.Security;

/// <summary>
/// Refuses what a web page on another site could make a browser send to the API:
/// a <c>Host</c> that is not an allowed name (DNS rebinding) → 400; a body, or a <c>Content-Type</c>, that is not JSON (a form or
/// <c>text/plain</c> post needs no CORS preflight) → 415; a browser's <c>Origin</c> on another host (a body-less cross-site POST) → 403.
/// Clients that are not browsers (the CLI, curl) send no <c>Origin</c> and a JSON body with its type, so they pass.
/// Two kinds of endpoint take other bodies, still only from a same-host page: the UI's forms, whose endpoints validate an antiforgery
/// token (a page on another site cannot read it), and the UI's live connection (SignalR), whose negotiate call is a <c>text/plain</c> POST
/// and whose page, when it goes away, posts its circuit id as a form to <c>/_blazor/disconnect</c> (so the server ends the circuit and
/// its components' work at once rather than minutes later).
/// </summary>
public sealed class RequestOriginGuard(RequestDelegate next, AllowedHosts hosts, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var host = request.Host.Host;
        if (host.Length > 0 && !hosts.Allows(host))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Host not allowed",
                $"the Host header '{host}' is not one of the names this server answers to ({string.Join(", ", hosts.Names)}); add it to Mizzen:AllowedHosts");
            return;
        }

        if (request.Headers.Origin is [{ } origin, ..] && !SameHostOrigin(origin, request.Host))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-origin request refused",
                $"requests from a web page at '{origin}' are refused; the origin's host must be one of {string.Join(", ", hosts.Names)}, on this server's port");
            return;
        }

        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if ((hasBody || request.ContentType is not null) && !IsJson(request.ContentType) && !TakesOtherBodies(context.GetEndpoint())
            && !IsCircuitDisconnect(context))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"the request body must be JSON with Content-Type: application/json, not '{request.ContentType ?? "(none)"}'");
            return;
        }

        await next(context);
    }

    /// <summary><c>application/json</c> or <c>application/*+json</c>, with any parameters (charset).</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return false;
        }

        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
               || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A UI form endpoint (antiforgery-validated) or the UI's SignalR connection; every API endpoint is neither.</summary>
    private static bool TakesOtherBodies(Endpoint? endpoint) =>
        endpoint is not null
        && (endpoint.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true }
            || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.SignalR.HubMetadata>() is not null
            || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Connections.NegotiateMetadata>() is not null);

    /// <summary>The UI's live connection closing: Blazor's page-unload beacon (a form with the circuit id).</summary>
    private static bool IsCircuitDisconnect(HttpContext context) =>
        context.GetEndpoint() is not null && HttpMethods.IsPost(context.Request.Method)
        && context.Request.Path.Equals("/_blazor/disconnect", StringComparison.OrdinalIgnoreCase);

    private bool SameHostOrigin(string origin, HostString host) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && hosts.Allows(uri.Host) && !OtherPortOfThisHost(uri, host);

    /// <summary>
    /// A page on another port of the host the request was sent to: another server on this machine (an app Mizzen deployed on 127.0.0.1, say).
    /// Browsers count it as the same site, so they send the <c>SameSite</c> session cookie with its requests, the UI's live connection included.
    /// Compared only when the <c>Host</c> header names a port (behind a proxy that drops it, the host names alone decide).
    /// </summary>
    private static bool OtherPortOfThisHost(Uri origin, HostString host) =>
        host.Port is { } port && origin.Port != port && string.Equals(origin.Host, host.Host, StringComparison.OrdinalIgnoreCase);

    private async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await ProblemAnswer.WriteAsync(problems, new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = context.Request.Path },
        });
    }
}
