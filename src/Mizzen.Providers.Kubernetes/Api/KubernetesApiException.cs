using System.Net;
using Mizzen.Core.Errors;

namespace Mizzen.Providers.Kubernetes.Api;

/// <summary>
/// The Kubernetes API answered with an error <c>Status</c> (or not at all). The message names the account, the verb, the resource and
/// the API's own message; <see cref="Reason"/> is the Status reason (<c>NotFound</c>, <c>AlreadyExists</c>, <c>Conflict</c>,
/// <c>Invalid</c>, <c>Expired</c> ...) so callers can react to a conflict or a gone watch without parsing text.
/// </summary>
public sealed class KubernetesApiException(string message, HttpStatusCode? statusCode, string? reason, Exception? inner = null)
    : MizzenException(message, inner)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public string? Reason { get; } = reason;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    /// <summary>410: the resourceVersion a watch or list continued from is too old; list again.</summary>
    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    public override ErrorKind Kind => StatusCode switch
    {
        HttpStatusCode.NotFound => ErrorKind.NotFound,
        HttpStatusCode.Conflict => ErrorKind.Conflict,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ErrorKind.Invalid,
        _ => ErrorKind.Upstream,
    };

    public override bool IsTransient => StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
}
