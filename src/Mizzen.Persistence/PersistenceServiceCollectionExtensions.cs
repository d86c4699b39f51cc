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
using Mizzen.Persistence.Postgres;
using Mizzen.Persistence.Queue;
using Mizzen.Persistence.Retention;
using Mizzen.Persistence.Sqlite;

namespace Mizzen.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// The store named by <c>Mizzen:Storage:Provider</c>: <c>sqlite</c> (the default, one node) or <c>postgres</c>
    /// (several nodes on <c>Mizzen:Storage:ConnectionString</c>, which it then requires).
    /// </summary>
    public static IServiceCollection AddMizzenStore(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = configuration.GetSection("Mizzen:Storage");
        var provider = storage["Provider"]?.Trim();
        if (string.IsNullOrEmpty(provider) || provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return services.AddSqliteStore(configuration);
        }

        if (!provider.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException("Mizzen:Storage:Provider", $"unknown storage provider '{provider}'; use sqlite or postgres");
        }

        if (string.IsNullOrWhiteSpace(storage["ConnectionString"]))
        {
            throw new ValidationException("Mizzen:Storage:ConnectionString",
                "a PostgreSQL connection string is required when Mizzen:Storage:Provider is postgres (Host=...;Database=...;Username=...;Password=...)");
        }

        return services.AddPostgresStore(configuration).AddPostgresCoordination();
    }

    /// <summary>
    /// The embedded default: one SQLite file (WAL) in the data folder, schema migrated at start-up. Registers the store
    /// interfaces only (<see cref="IStore"/>, <see cref="IExecutionStore"/>, <see cref="IMessageQueue"/>,
    /// <see cref="IApplicationStore"/>, <see cref="IPipelineConfigStore"/>, <see cref="IDocumentStore"/>,
    /// <see cref="IStoreLookupReads"/>, <see cref="INodeCoordination"/>); the SQLite classes behind them are internal.
    /// </summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.AddStoreCommon(configuration);
        services.TryAddSingleton<INodeCoordination, InProcessCoordination>();
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<SqliteMessageQueue>();
        services.TryAddSingleton<IMessageQueue>(sp => sp.GetRequiredService<SqliteMessageQueue>());
        services.TryAddSingleton<IStore, SqliteStore>();
        services.TryAddSingleton<IExecutionStore, SqliteExecutionStore>();
        services.TryAddSingleton<IApplicationStore, SqliteApplicationStore>();
        services.TryAddSingleton<IPipelineConfigStore, SqlitePipelineConfigStore>();
        services.TryAddSingleton<IDocumentStore, SqliteDocumentStore>();
        services.TryAddSingleton<Audit.IAuditStore, SqliteAuditStore>();
        services.TryAddSingleton<IStoreLookupReads, SqliteStoreLookupReads>();
        return services;
    }

    /// <summary>
    /// What every backend's registration shares: the storage, retention and node settings (from <c>Mizzen:Storage</c>,
    /// <c>Mizzen:Retention</c>, <c>Mizzen:Node</c> when <paramref name="configuration"/> is given), the clock, and retention
    /// (backend-neutral, on <see cref="IExecutionStore"/>) as a hosted service.
    /// </summary>
    internal static IServiceCollection AddStoreCommon(this IServiceCollection services, IConfiguration? configuration)
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
        services.TryAddSingleton<ExecutionRetention>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ExecutionRetention>(sp => sp.GetRequiredService<ExecutionRetention>()));
        return services;
    }
}
