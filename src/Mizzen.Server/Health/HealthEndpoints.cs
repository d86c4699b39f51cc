namespace Mizzen.Server.Health;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the store is open and the engine is running.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health/live", () => TypedResults.Ok(new { status = "UP" }));
        routes.MapGet("/health/ready", (IHostApplicationLifetime lifetime) =>
            lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Ok(new { status = "UP" })
                : Results.Json(new { status = "STARTING" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return routes;
    }
}
