namespace Mizzen.Core.Errors;

/// <summary>Whose mistake a <see cref="MizzenException"/> is; the HTTP status the edge answers with is in brackets.</summary>
public enum ErrorKind
{
    /// <summary>The caller's input is wrong (400); <see cref="MizzenException.Problems"/> names the fields.</summary>
    Invalid,

    /// <summary>The caller named something that does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state: already exists, already judged, not running (409).</summary>
    Conflict,

    /// <summary>The caller may not do this (403).</summary>
    Forbidden,

    /// <summary>An outside system Mizzen depends on (a metric store, a webhook target) failed or did not answer (502).</summary>
    Upstream,

    /// <summary>Mizzen's own fault (500, logged with the trace id).</summary>
    Internal,
}
