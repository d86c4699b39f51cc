using Microsoft.Extensions.Time.Testing;
using Mizzen.Persistence.Documents;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests.Documents;

/// <summary>A document written in a store transaction (<see cref="IStoreTransaction.PutDocument"/>) is stored with the transaction, or not at all.</summary>
public abstract class TransactionDocumentTests(StoreBackend backend) : IAsyncLifetime
{
    private readonly FakeTimeProvider clock = TestTime.Clock();
    private StoreServices services = null!;

    public async Task InitializeAsync() => services = await StoreServices.CreateAsync(backend, clock);

    public async Task DisposeAsync() => await services.DisposeAsync();

    private IDocumentStore Documents => services.Get<IDocumentStore>();

    [Fact]
    public async Task A_committed_transaction_replaces_every_revision_with_its_document()
    {
        await Documents.SaveRevisionAsync("trigger-status", "cfg/0", """{"v":1}""", "ann", CancellationToken.None);
        await Documents.SaveRevisionAsync("trigger-status", "cfg/0", """{"v":2}""", "ann", CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));

        await using (var transaction = await services.Get<IStore>().BeginAsync(CancellationToken.None))
        {
            transaction.PutDocument("trigger-status", "cfg/0", """{"v":3}""", "mizzen");
            await transaction.CommitAsync(CancellationToken.None);
        }

        var stored = (await Documents.GetAsync("trigger-status", "cfg/0", null, CancellationToken.None))!;
        stored.ShouldBe(new StoredDocument("trigger-status", "cfg/0", 1, """{"v":3}""", "mizzen", TestTime.Start.AddMinutes(1)));
        (await Documents.RevisionsAsync("trigger-status", "cfg/0", CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_transaction_that_is_not_committed_leaves_the_document_as_it_was()
    {
        await Documents.PutAsync("trigger-status", "cfg/0", """{"v":1}""", "ann", CancellationToken.None);

        await using (var transaction = await services.Get<IStore>().BeginAsync(CancellationToken.None))
        {
            transaction.PutDocument("trigger-status", "cfg/0", """{"v":2}""", "mizzen");
            transaction.PutDocument("trigger-status", "cfg/1", """{"v":2}""", "mizzen");
        }

        (await Documents.GetAsync("trigger-status", "cfg/0", null, CancellationToken.None))!.Body.ShouldBe("""{"v":1}""");
        (await Documents.GetAsync("trigger-status", "cfg/1", null, CancellationToken.None)).ShouldBeNull();
    }
}

public sealed class TransactionDocumentTestsOnSqlite() : TransactionDocumentTests(StoreBackend.Sqlite);

public sealed class TransactionDocumentTestsOnPostgres() : TransactionDocumentTests(StoreBackend.Postgres);
