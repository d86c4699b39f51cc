using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Persistence.Retention;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>The embedded default: one SQLite file (WAL) in the data folder, schema migrated at start-up.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration? configuration = null)
    {
        if (configuration is not null)
        {
            services.Configure<StorageOptions>(configuration.GetSection("Mizzen:Storage"));
            services.Configure<RetentionOptions>(configuration.GetSection("Mizzen:Retention"));
            services.Configure<NodeOptions>(configuration.GetSection("Mizzen:Node"));
        }

        services.AddOptions<StorageOptions>();
        services.AddOptions<RetentionOptions>();
        services.AddOptions<NodeOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INodeCoordination, InProcessCoordination>();
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<SqliteMessageQueue>();
        services.TryAddSingleton<IMessageQueue>(sp => sp.GetRequiredService<SqliteMessageQueue>());
        services.TryAddSingleton<IStore, SqliteStore>();
        services.TryAddSingleton<IExecutionStore, SqliteExecutionStore>();
        services.TryAddSingleton<IApplicationStore, SqliteApplicationStore>();
        services.TryAddSingleton<IPipelineConfigStore, SqlitePipelineConfigStore>();
        services.TryAddSingleton<ExecutionRetention>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExecutionRetention>(sp => sp.GetRequiredService<ExecutionRetention>()));
        return services;
    }
}
