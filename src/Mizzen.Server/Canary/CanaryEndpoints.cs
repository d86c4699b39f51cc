namespace Mizzen.Server.Canary;

/// <summary>Every canary endpoint: configs at Kayenta's and Gate's paths, runs and the dry run.</summary>
public static class CanaryEndpoints
{
    public static IEndpointRouteBuilder MapCanaryEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapCanaryConfigEndpoints("/v2/canaries/canaryConfig");
        routes.MapCanaryConfigEndpoints("/v2/canaryConfig");
        routes.MapCanaryRunEndpoints();
        return routes;
    }
}
