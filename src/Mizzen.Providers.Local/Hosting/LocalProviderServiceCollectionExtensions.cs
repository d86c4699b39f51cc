using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Orchestration.Clouds;
using Mizzen.Orchestration.Engine;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Bundles;
using Mizzen.Providers.Local.Clouds;
using Mizzen.Providers.Local.Health;
using Mizzen.Providers.Local.Hosting;
using Mizzen.Providers.Local.Jobs;
using Mizzen.Providers.Local.LoadBalancing;
using Mizzen.Providers.Local.Metrics;
using Mizzen.Providers.Local.ServerGroups;
using Mizzen.Providers.Local.State;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the local provider: <see cref="ILocalCloudProvider"/>, <see cref="ILocalLoadBalancers"/>, <see cref="ILocalJobRunner"/>, <see cref="ILocalMetrics"/> and the cloud seam (<see cref="ICloudProvider"/> <c>local</c>).</summary>
public static class LocalProviderServiceCollectionExtensions
{
    /// <summary>Binds accounts from <c>Mizzen:Accounts</c> (type <c>local</c>) and options from <c>Mizzen:Providers:Local</c>.</summary>
    public static IServiceCollection AddLocalProvider(this IServiceCollection services, IConfiguration configuration) =>
        services.AddLocalProvider(options =>
        {
            configuration.GetSection(LocalProviderOptions.SectionName).Bind(options);
            var accounts = configuration.GetSection(LocalProviderOptions.AccountsSection).Get<List<LocalAccountOptions>>() ?? [];
            options.Accounts.AddRange(accounts.Where(a => string.Equals(a.Type, "local", StringComparison.OrdinalIgnoreCase)));
        });

    public static IServiceCollection AddLocalProvider(this IServiceCollection services, Action<LocalProviderOptions> configure)
    {
        services.AddOptions<LocalProviderOptions>().Configure(configure);
        services.AddHttpClient(BundleFetcher.HttpClientName);
        services.AddHttpClient(HealthProbe.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });
        services.AddHttpClient(MetricsCollector.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILocalStateStore, FileLocalStateStore>();
        services.TryAddSingleton<LocalAccountRegistry>();
        services.TryAddSingleton<ILocalAccountPlacement>(sp => sp.GetRequiredService<LocalAccountRegistry>());
        services.TryAddSingleton<ServerGroupDirectory>();
        services.TryAddSingleton<TrafficRegistry>();
        services.TryAddSingleton<TimeSeriesStore>();
        services.TryAddSingleton<MetricQueryEngine>();
        services.TryAddSingleton<MetricsCollector>();
        services.TryAddSingleton<BundleFetcher>();
        services.TryAddSingleton<HealthProbe>();
        services.AddHttpForwarder();
        services.TryAddSingleton<IRequestForwarder, YarpRequestForwarder>();
        services.TryAddSingleton<LoadBalancerService>();
        services.TryAddSingleton<LocalCloudProvider>();
        services.TryAddSingleton<ILocalCloudProvider>(sp => sp.GetRequiredService<LocalCloudProvider>());
        services.TryAddSingleton<ILocalLoadBalancers>(sp => sp.GetRequiredService<LoadBalancerService>());
        services.TryAddSingleton<ILocalJobRunner, LocalJobRunner>();
        services.TryAddSingleton<ILocalMetrics, LocalMetrics>();
        AddCloudSeam(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, LocalProviderHostedService>());
        return services;
    }

    /// <summary>The provider behind Orchestration's cloud seam: <see cref="ICloudProvider"/> <c>local</c> and the <see cref="CloudProviderRegistry"/>.</summary>
    private static void AddCloudSeam(IServiceCollection services)
    {
        services.TryAddSingleton<LocalServerGroupOperations>();
        services.TryAddSingleton<LocalLoadBalancerOperations>();
        services.TryAddSingleton<LocalJobRunnerAdapter>();
        services.TryAddSingleton<LocalClusterReads>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICloudProvider, LocalCloud>());
        // Replaces the engine's default (any node): work on an account bound to a node goes to that node.
        services.Replace(ServiceDescriptor.Singleton<INodeAffinity, LocalAccountAffinity>());
        services.TryAddSingleton<CloudProviderRegistry>();
    }
}
