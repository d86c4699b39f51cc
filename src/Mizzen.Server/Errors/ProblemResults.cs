using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Mizzen.Core.Errors;

namespace Mizzen.Server.Errors;

/// <summary>
/// Turns errors into ProblemDetails: the caller's mistakes are 4xx with a message that names what is wrong and where
/// (<c>errors: [{location, message}]</c> for validation); anything else is a 500 without internals.
/// </summary>
public sealed partial class ProblemResults(IProblemDetailsService problems, ILogger<ProblemResults> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, errors) = exception switch
        {
            ValidationException e => (StatusCodes.Status400BadRequest, "Invalid request", e.Message, e.Problems),
            NotFoundException e => (StatusCodes.Status404NotFound, "Not found", e.Message, null),
            ConflictException e => (StatusCodes.Status409Conflict, "Conflict", e.Message, null),
            ForbiddenException e => (StatusCodes.Status403Forbidden, "Forbidden", e.Message, null),
            MizzenException e => (StatusCodes.Status400BadRequest, "Invalid request", e.Message, null),
            BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, "Malformed JSON", JsonMessage(json), null),
            BadHttpRequestException e => (e.StatusCode, "Bad request", e.Message, null),
            JsonException e => (StatusCodes.Status400BadRequest, "Malformed JSON", JsonMessage(e), null),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "Mizzen failed to handle the request; see the server log.", (IReadOnlyList<ValidationProblem>?)null),
        };
        if (status >= 500)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = httpContext.Request.Path };
        if (errors is { Count: > 0 })
        {
            details.Extensions["errors"] = errors.Select(p => new { location = p.Location, message = p.Message }).ToList();
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    private static string JsonMessage(JsonException e) =>
        e.LineNumber is { } line
            ? $"the request body is not valid JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}"
            : "the request body is not valid JSON: " + e.Message.Split(" Path:")[0];

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
