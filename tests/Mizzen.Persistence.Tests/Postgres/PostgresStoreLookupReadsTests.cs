using Mizzen.Persistence.Tests.Lookups;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>The lookup reads contract on a real PostgreSQL database, built through the postgres registration.</summary>
public sealed class PostgresStoreLookupReadsTests : StoreLookupReadsContract
{
    private StoreServices? services;

    protected override async Task<IServiceProvider> CreateAsync()
    {
        services = await StoreServices.CreateAsync(StoreBackend.Postgres, TestTime.Clock());
        return services.Services;
    }

    protected override async Task DisposeStoreAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }
}
