using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mizzen.Canary.Storage;
using Mizzen.Orchestration.Stages;

namespace Mizzen.Canary.Stage;

/// <summary>Registration of the <c>kayentaCanary</c> stage type.</summary>
public static class KayentaCanaryStageRegistration
{
    /// <summary>
    /// Registers <see cref="KayentaCanaryStage"/> as an <see cref="IStageDefinition"/>, its two tasks, the config resolver and
    /// the report store on the host's document store (<see cref="DocumentCanaryReportStore"/>).
    /// Needs <c>AddMizzenCanary</c> (the runner), a store and the engine. TryAdd* throughout.
    /// </summary>
    public static IServiceCollection AddKayentaCanaryStage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStageDefinition, KayentaCanaryStage>());
        services.TryAddSingleton<RunCanaryIntervalsTask>();
        services.TryAddSingleton<AggregateCanaryResultsTask>();
        services.TryAddSingleton<CanaryConfigResolver>();
        services.TryAddSingleton<ICanaryReportStore, DocumentCanaryReportStore>();
        return services;
    }
}
