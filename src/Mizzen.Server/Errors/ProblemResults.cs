using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Errors;

/// <summary>
/// Turns errors into ProblemDetails. A <see cref="MizzenException"/> answers with the status of its <see cref="ErrorKind"/>
/// and names what is wrong and where (<c>errors: [{location, message}]</c>); a body the framework could not read is a 400.
/// Anything else is Mizzen's own fault: a 500 without internals, logged with the trace id the answer carries.
/// </summary>
public sealed partial class ProblemResults(IProblemDetailsService problems, ILogger<ProblemResults> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = exception switch
        {
            MizzenException e => (StatusOf(e.Kind), TitleOf(e.Kind), e.Message, e.Problems),
            BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message, null),
            JsonException e => JsonProblem(e),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "Mizzen failed to handle the request; see the server log for the trace id.", (IReadOnlyList<ValidationProblem>?)null),
        };
        var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        if (status >= 500)
        {
            LogServerFault(exception, status, httpContext.Request.Method, httpContext.Request.Path, traceId);
        }

        httpContext.Response.StatusCode = status;
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = httpContext.Request.Path };
        if (errors is { Count: > 0 })
        {
            details.Extensions["errors"] = errors.Select(p => new { location = p.Location, message = p.Message }).ToList();
        }

        if (exception is Providers.Local.Accounts.AccountOnOtherNodeException remote)
        {
            details.Extensions["node"] = remote.Node;
            if (remote.NodeUrl is not null)
            {
                details.Extensions["nodeUrl"] = remote.NodeUrl.ToString();
            }
        }

        if (exception is MizzenException { IsTransient: true })
        {
            details.Extensions["transient"] = true;
        }

        details.Extensions["traceId"] = traceId;
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception }))
        {
            // No writer takes the caller's Accept (a browser's text/html): the problem is still JSON, never a 500.
            await TypedResults.Problem(details).ExecuteAsync(httpContext);
        }

        return true;
    }

    /// <summary>The HTTP status for each kind of error; the same table is in docs/api.md ("Errors").</summary>
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.Upstream => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => "Invalid request",
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.Forbidden => "Forbidden",
        ErrorKind.Upstream => "An outside system failed",
        _ => "Internal error",
    };

    /// <summary>
    /// A body the serializer could not read: broken JSON names its line and column; a value of the wrong type (a list
    /// where a name belongs) names its field, as <c>errors[0].location</c>.
    /// </summary>
    private static (int, string, string, IReadOnlyList<ValidationProblem>?) JsonProblem(JsonException e)
    {
        var reason = e.Message.Split(" Path:")[0].Split(". LineNumber:")[0];
        var location = e.Path is { Length: > 0 } path ? path.TrimStart('$').TrimStart('.') : "";
        if (location.Length == 0 && e.LineNumber is { } line)
        {
            location = $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}";
        }

        return location.Length == 0
            ? (StatusCodes.Status400BadRequest, "Malformed JSON", "the request body is not valid: " + reason, null)
            : (StatusCodes.Status400BadRequest, "Malformed JSON", $"the request body is not valid at {location}: {reason}", [new ValidationProblem(location, reason)]);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Answered {Status} to {Method} {Path} (trace {TraceId})")]
    private partial void LogServerFault(Exception exception, int status, string method, string path, string traceId);
}
