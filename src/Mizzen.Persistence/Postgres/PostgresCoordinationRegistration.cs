using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mizzen.Persistence.Coordination;

namespace Mizzen.Persistence.Postgres;

public static class PostgresCoordinationRegistration
{
    /// <summary>
    /// Node coordination over PostgreSQL (<see cref="PostgresCoordination"/>) as the <see cref="INodeCoordination"/>, started as
    /// a hosted service. Register it before the engine's queue worker: hosted services start in order, and the node-id check
    /// must refuse a duplicate node before its worker releases the leases held under that id.
    /// Needs <see cref="StorageOptions.ConnectionString"/> and <see cref="NodeOptions"/> (bound by the store registration).
    /// </summary>
    public static IServiceCollection AddPostgresCoordination(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>();
        services.AddOptions<NodeOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresCoordination>();
        services.TryAddSingleton<INodeCoordination>(sp => sp.GetRequiredService<PostgresCoordination>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresCoordination>(sp => sp.GetRequiredService<PostgresCoordination>()));
        return services;
    }
}
