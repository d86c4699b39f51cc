using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Mizzen.Core.Errors;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Coordination;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Executions;
using Mizzen.Persistence.Lookups;
using Mizzen.Persistence.Pipelines;
using Mizzen.Persistence.Queue;
using Mizzen.Persistence.Retention;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// The store <c>Mizzen:Storage:Provider</c> names (<see cref="StorageOptions.Provider"/>, default <c>sqlite</c>), so a
    /// host never names a backend in code. An unknown provider is refused here, at start-up, with the accepted values.
    /// </summary>
    public static IServiceCollection AddMizzenStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = configuration.GetSection("Mizzen:Storage")[nameof(StorageOptions.Provider)] ?? new StorageOptions().Provider;
        return provider.Trim().ToLowerInvariant() switch
        {
            "sqlite" => services.AddSqliteStore(configuration),
            _ => throw new ValidationException("Mizzen:Storage:Provider", $"'{provider}' is not a storage provider of this Mizzen; use sqlite"),
        };
    }

    /// <summary>
    /// The embedded default: one SQLite file (WAL) in the data folder, schema migrated at start-up. Registers the store
    /// interfaces only (<see cref="IStore"/>, <see cref="IExecutionStore"/>, <see cref="IMessageQueue"/>,
    /// <see cref="IApplicationStore"/>, <see cref="IPipelineConfigStore"/>, <see cref="IDocumentStore"/>,
    /// <see cref="IStoreLookupReads"/>, <see cref="INodeCoordination"/>); the SQLite classes behind them are internal.
    /// </summary>
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
        services.TryAddSingleton<IDocumentStore, SqliteDocumentStore>();
        services.TryAddSingleton<IStoreLookupReads, SqliteStoreLookupReads>();
        services.TryAddSingleton<ExecutionRetention>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExecutionRetention>(sp => sp.GetRequiredService<ExecutionRetention>()));
        return services;
    }
}
