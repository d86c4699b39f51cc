using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Persistence.Retention;

namespace Mizzen.Persistence.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// The scale-out store: any number of nodes on one PostgreSQL database (<see cref="StorageOptions.ConnectionString"/>),
    /// schema migrated once at start-up. Registers the store interfaces (<see cref="IStore"/>, <see cref="IMessageQueue"/>,
    /// <see cref="IExecutionStore"/>, <see cref="IApplicationStore"/>, <see cref="IPipelineConfigStore"/>,
    /// <see cref="IDocumentStore"/>) and retention; <see cref="INodeCoordination"/> comes from the coordination registration.
    /// </summary>
    public static IServiceCollection AddPostgresStore(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.AddStoreCommon(configuration);
        services.TryAddSingleton<PostgresDatabase>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresSchemaStartup>());
        services.TryAddSingleton<IMessageQueue, PostgresMessageQueue>();
        services.TryAddSingleton<IStore, PostgresStore>();
        services.TryAddSingleton<IExecutionStore, PostgresExecutionStore>();
        services.TryAddSingleton<IApplicationStore, PostgresApplicationStore>();
        services.TryAddSingleton<IPipelineConfigStore, PostgresPipelineConfigStore>();
        services.TryAddSingleton<IDocumentStore, PostgresDocumentStore>();
        services.TryAddSingleton<Audit.IAuditStore, PostgresAuditStore>();
        services.TryAddSingleton<Lookups.IStoreLookupReads, PostgresStoreLookupReads>();
        return services;
    }
}
