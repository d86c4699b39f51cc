namespace Mizzen.Server.Audit;

/// <summary>
/// Records every state-changing request (anything but GET, HEAD and OPTIONS) that no code recorded itself: the action is
/// <c>http.{method}</c>, the target the route's path, with the status it ended with. So a route added later is audited without
/// anyone remembering to. Request bodies are never recorded (they may hold secrets); the routes that change configs record their
/// before and after themselves (<see cref="AuditingStores"/>). The response of such a request waits, just before it starts, until the
/// entries the request queued (its <c>http.*</c> entry, a login's outcome) are written (<see cref="AuditLog.WhenWrittenAsync"/>): the
/// client is answered only once the record is stored, so a crash cannot lose the record of a request it saw answered.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IAuditLog audit, AuditLog log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)
            || context.Request.Path.StartsWithSegments("/_blazor", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        // The status is final when the response starts: record the request then (unless code did), and hold the headers until it is written.
        context.Response.OnStarting(() =>
        {
            RecordRequest(context);
            return log.WhenWrittenAsync(context);
        });
        try
        {
            await next(context);
        }
        finally
        {
            // A response not started yet (an exception on its way out) is recorded with the status it has now.
            RecordRequest(context);
            await log.WhenWrittenAsync(context);
        }
    }

    private void RecordRequest(HttpContext context)
    {
        if (!context.Items.ContainsKey(AuditLog.RecordedItem))
        {
            audit.Record(new AuditEntry($"http.{context.Request.Method.ToLowerInvariant()}", context.Request.Path.Value ?? "/")
            {
                Status = context.Response.StatusCode,
            });
        }
    }
}
