using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Tests.Documents;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests.Postgres;

/// <summary>The document store contract on a real PostgreSQL database, built through the postgres registration.</summary>
public sealed class PostgresDocumentStoreContractTests : DocumentStoreContract
{
    private StoreServices? services;

    protected override async Task<IDocumentStore> CreateAsync()
    {
        services = await StoreServices.CreateAsync(StoreBackend.Postgres, Clock);
        return services.Get<IDocumentStore>();
    }

    protected override async Task DisposeStoreAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }
}
