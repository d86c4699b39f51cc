namespace Mizzen.Server.Security.Authorization;

/// <summary>
/// What a route demands of its caller, checked by <see cref="PermissionGate"/> before the route runs (with authentication on). Every route
/// has one or more (all must pass): from <see cref="PermissionRouteTable"/>, or attached to the endpoint with
/// <see cref="RouteRuleExtensions.RequirePermission"/>. A route with none is refused, so a new route cannot be open by accident.
/// </summary>
public abstract class RouteRule
{
    /// <summary>Reachable without signing in (health, the login page, webhooks that carry their own secret).</summary>
    public virtual bool Public => false;

    /// <summary>A non-GET route that changes nothing (validation), so read-only callers may use it.</summary>
    public virtual bool ChangesNothing => false;

    /// <summary>What the rule demands, for docs/permissions.md and the route matrix test.</summary>
    public abstract string Description { get; }

    /// <summary>Why <paramref name="caller"/> may not call the route; null when it may (or when the resource does not exist: the route answers 404).</summary>
    public abstract ValueTask<string?> DenialAsync(HttpContext http, Caller caller, PermissionEvaluator evaluator, CancellationToken cancellationToken);

    public override string ToString() => Description;
}

/// <summary>Attaches a <see cref="RouteRule"/> to a route where it is mapped (routes outside <see cref="PermissionRouteTable"/>).</summary>
public static class RouteRuleExtensions
{
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, RouteRule rule)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(rule);
}
