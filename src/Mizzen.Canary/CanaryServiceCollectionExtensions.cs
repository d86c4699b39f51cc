using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mizzen.Canary.Configs;
using Mizzen.Canary.Judge;
using Mizzen.Canary.Runs;
using Mizzen.Canary.Sources;
using Mizzen.Canary.Sources.Embedded;
using Mizzen.Canary.Sources.Prometheus;
using Mizzen.Canary.Stage;
using Mizzen.Canary.Storage;

namespace Mizzen.Canary;

public static class CanaryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the canary judge, runner, dry run, the <c>kayentaCanary</c> stage, the config and report stores (on the
    /// host's <see cref="Persistence.Documents.IDocumentStore"/>, from <c>AddSqliteStore</c> or the PostgreSQL store, in any
    /// order: they are resolved only when used), and the <c>prometheus</c> metric
    /// source (plus the <c>embedded</c> one when an <see cref="IEmbeddedMetricsReader"/> is registered). Everything
    /// is added with TryAdd*, so a host can replace any part (for example <see cref="ICanaryConfigStore"/>) first.
    /// </summary>
    public static IServiceCollection AddMizzenCanary(this IServiceCollection services, Action<PrometheusSourceOptions>? configurePrometheus = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PrometheusSourceOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrometheusSourceOptions>, PrometheusSourceOptionsValidator>());
        if (configurePrometheus is not null)
        {
            services.Configure(configurePrometheus);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NetflixAcaJudge>();
        services.TryAddSingleton<ICanaryConfigStore, DocumentCanaryConfigStore>();
        services.TryAddSingleton<ICanaryReportStore, DocumentCanaryReportStore>();
        services.AddHttpClient(nameof(PrometheusMetricsSource));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricsSource, PrometheusMetricsSource>(sp => new PrometheusMetricsSource(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PrometheusMetricsSource)),
            sp.GetRequiredService<IOptions<PrometheusSourceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<PrometheusMetricsSource>>())));
        services.TryAddSingleton(sp => new MetricsSourceRegistry(EmbeddedIfAvailable(sp).Concat(sp.GetServices<IMetricsSource>())));
        services.TryAddSingleton<CanaryRunner>();
        services.TryAddSingleton<CanaryDryRun>();
        services.AddKayentaCanaryStage();
        return services;
    }

    /// <summary>
    /// As <see cref="AddMizzenCanary(IServiceCollection, Action{PrometheusSourceOptions}?)"/>, with the <c>prometheus</c> source's
    /// settings bound from <paramref name="configuration"/>'s section <see cref="PrometheusSourceOptions.SectionName"/>
    /// (<c>Mizzen:Canary:Prometheus</c>); <paramref name="configurePrometheus"/>, when given, runs after the binding.
    /// </summary>
    public static IServiceCollection AddMizzenCanary(this IServiceCollection services, IConfiguration configuration, Action<PrometheusSourceOptions>? configurePrometheus = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<PrometheusSourceOptions>(configuration.GetSection(PrometheusSourceOptions.SectionName));
        return services.AddMizzenCanary(configurePrometheus);
    }

    private static IEnumerable<IMetricsSource> EmbeddedIfAvailable(IServiceProvider sp)
        => sp.GetService<IEmbeddedMetricsReader>() is { } reader ? [new EmbeddedMetricsSource(reader)] : [];
}
