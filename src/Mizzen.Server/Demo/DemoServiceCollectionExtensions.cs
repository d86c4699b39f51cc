using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Server.Hosting;

namespace Mizzen.Server.Demo;

/// <summary>Registers the demo's pipelines (always, so others can add theirs) and, with <c>--demo</c>, the setup service.</summary>
public static class DemoServiceCollectionExtensions
{
    public static IServiceCollection AddMizzenDemo(this IServiceCollection services, ServeArguments arguments)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDemoPipeline, DeployPipeline>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDemoPipeline, RollbackPipeline>());
        if (!arguments.Demo)
        {
            return services;
        }

        services.TryAddSingleton<DemoApplication>();
        services.TryAddSingleton<DemoLoadBalancers>();
        services.TryAddSingleton<DemoBundleBuilder>();
        services.TryAddSingleton<DemoPipelineSaver>();
        services.TryAddSingleton<DemoFirstDeploy>();
        services.TryAddSingleton<DemoTrafficGenerator>();
        services.AddHostedService<DemoSetupService>();
        return services;
    }
}
