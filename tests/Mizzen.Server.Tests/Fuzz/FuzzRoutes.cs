using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mizzen.Server.Tests.Fuzz;

/// <summary>One route of the running server: its method, pattern, route parameters and the query parameters its handler binds.</summary>
internal sealed record FuzzRoute(string Method, string Pattern, IReadOnlyList<string> RouteParameters, IReadOnlyList<(string Name, Type Type)> QueryParameters)
{
    public bool TakesBody => Method is "POST" or "PUT" or "PATCH";

    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>Every route the app maps, read from its <see cref="EndpointDataSource"/>, so a new route is fuzzed without anyone listing it.</summary>
    public static IReadOnlyList<FuzzRoute> All(IServiceProvider services)
    {
        var routes = new List<FuzzRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            var names = pattern.Parameters.Select(p => p.Name).ToList();
            var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
            var query = handler?.GetParameters()
                .Where(p => p.Name is not null && !names.Contains(p.Name, StringComparer.OrdinalIgnoreCase) && IsSimple(p.ParameterType))
                .Select(p => (p.Name!, Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
                .ToList() ?? [];
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                routes.Add(new FuzzRoute(method, pattern.RawText ?? "/", names, query));
            }
        }

        return [.. routes.OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)];
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(int) || t == typeof(long) || t == typeof(bool) || t == typeof(double);
    }
}
