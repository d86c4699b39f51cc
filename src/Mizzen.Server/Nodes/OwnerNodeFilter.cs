namespace Mizzen.Server.Nodes;

/// <summary>
/// On routes with an <c>{account}</c>: a request about a local account another node owns goes to that node
/// (<see cref="OwnerNodes.TryForwardAsync"/>) instead of being answered from this node's state, where the account has nothing.
/// </summary>
public sealed class OwnerNodeFilter(OwnerNodes owners) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues.TryGetValue("account", out var value) && value is string account && await owners.TryForwardAsync(http, account))
        {
            return Results.Empty;
        }

        return await next(context);
    }
}
