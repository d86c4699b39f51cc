using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Embedded;
using Mizzen.Canary.Sources.Prometheus;

namespace Mizzen.Canary;

public static class CanaryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the canary judge, runner, dry run, the in-memory config store, and the <c>prometheus</c> metric
    /// source (plus the <c>embedded</c> one when an <see cref="IEmbeddedMetricsReader"/> is registered). Everything
    /// is added with TryAdd*, so a host can replace any part (for example <see cref="ICanaryConfigStore"/>) first.
    /// </summary>
    public static IServiceCollection AddMizzenCanary(this IServiceCollection services, Action<PrometheusSourceOptions>? configurePrometheus = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PrometheusSourceOptions>();
        if (configurePrometheus is not null)
        {
            services.Configure(configurePrometheus);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NetflixAcaJudge>();
        services.TryAddSingleton<ICanaryConfigStore, InMemoryCanaryConfigStore>();
        services.AddHttpClient(nameof(PrometheusMetricsSource));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricsSource, PrometheusMetricsSource>(sp => new PrometheusMetricsSource(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PrometheusMetricsSource)),
            sp.GetRequiredService<IOptions<PrometheusSourceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PrometheusMetricsSource>>())));
        services.TryAddSingleton(sp => new MetricsSourceRegistry(EmbeddedIfAvailable(sp).Concat(sp.GetServices<IMetricsSource>())));
        services.TryAddSingleton<CanaryRunner>();
        services.TryAddSingleton<CanaryDryRun>();
        return services;
    }

    private static IEnumerable<IMetricsSource> EmbeddedIfAvailable(IServiceProvider sp)
        => sp.GetService<IEmbeddedMetricsReader>() is { } reader ? [new EmbeddedMetricsSource(reader)] : [];
}
