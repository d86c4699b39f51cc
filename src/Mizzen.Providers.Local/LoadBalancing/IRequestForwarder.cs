using Microsoft.AspNetCore.Http;

namespace Mizzen.Providers.Local.LoadBalancing;

/// <summary>
/// Sends one request a load balancer has routed to the instance the router picked, and streams the answer back. Routing,
/// traffic counters, draining and the retry elsewhere stay in <see cref="LoadBalancerHost"/>; this is only the proxying.
/// The provider's is <see cref="YarpRequestForwarder"/>; the benchmark puts its baseline behind the same seam.
/// </summary>
internal interface IRequestForwarder
{
    /// <summary>
    /// Forwards <paramref name="context"/>'s request to <paramref name="destination"/> (an instance's base address). When the answer
    /// is <see cref="ForwardOutcome.ConnectFailed"/> nothing was sent and the response is untouched, so the request may go elsewhere.
    /// </summary>
    Task<ForwardOutcome> ForwardAsync(HttpContext context, Uri destination, CancellationToken cancellationToken);
}

/// <summary>How forwarding one request ended.</summary>
internal enum ForwardOutcome
{
    /// <summary>The instance answered and its answer went back to the client (an upgraded connection: until it closed).</summary>
    Forwarded,

    /// <summary>No connection to the instance could be made; the response has not started.</summary>
    ConnectFailed,

    /// <summary>Anything else went wrong: an error after connecting, a timeout, the client going away.</summary>
    Failed,
}
