namespace Mizzen.Server.Audit;

/// <summary>
/// Records every state-changing request (anything but GET, HEAD and OPTIONS) that no code recorded itself: the action is
/// <c>http.{method}</c>, the target the route's path, with the status it ended with. So a route added later is audited without
/// anyone remembering to. Request bodies are never recorded (they may hold secrets); the routes that change configs record their
/// before and after themselves (<see cref="AuditingStores"/>).
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IAuditLog audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method)
            || context.Request.Path.StartsWithSegments("/_blazor", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
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
}
