using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Canary.Sources.Embedded;
using Mizzen.Server.Demo;

namespace Mizzen.Server.Canary;

/// <summary>The server's canary parts: the embedded metric source over the local provider, and the demo's canary pipeline and config.</summary>
public static class ServerCanaryRegistration
{
    public static IServiceCollection AddServerCanary(this IServiceCollection services)
    {
        services.TryAddSingleton<IEmbeddedMetricsReader, LocalEmbeddedMetricsReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDemoPipeline, CanaryDemoPipeline>());
        services.AddHostedService<CanaryDemoConfigSetup>();
        return services;
    }
}
