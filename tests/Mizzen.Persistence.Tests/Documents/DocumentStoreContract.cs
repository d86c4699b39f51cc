using Microsoft.Extensions.Time.Testing;
using Mizzen.Persistence.Documents;
using Mizzen.Testing;

namespace Mizzen.Persistence.Tests.Documents;

/// <summary>
/// What every <see cref="IDocumentStore"/> does, whatever the database: a backend's tests subclass this and say how to
/// open an empty store on <see cref="Clock"/> (<see cref="CreateAsync"/>) and how to let it go (<see cref="DisposeStoreAsync"/>).
/// </summary>
public abstract class DocumentStoreContract : IAsyncLifetime
{
    private IDocumentStore? store;

    protected FakeTimeProvider Clock { get; } = TestTime.Clock();

    protected IDocumentStore Store => store ?? throw new InvalidOperationException("the store is opened in InitializeAsync");

    public async Task InitializeAsync() => store = await CreateAsync();

    public Task DisposeAsync() => DisposeStoreAsync();

    /// <summary>An empty store whose clock is <see cref="Clock"/>.</summary>
    protected abstract Task<IDocumentStore> CreateAsync();

    protected abstract Task DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Each_save_adds_the_next_revision_and_keeps_the_older_ones_with_who_saved_them_and_when()
    {
        var first = await Store.SaveRevisionAsync("configs:shop", "cfg", """{"v":1}""", "ann", None);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await Store.SaveRevisionAsync("configs:shop", "cfg", """{"v":2}""", "bob", None);

        first.ShouldBe(new StoredDocument("configs:shop", "cfg", 1, """{"v":1}""", "ann", TestTime.Start));
        second.Revision.ShouldBe(2);
        second.SavedAt.ShouldBe(TestTime.Start.AddMinutes(5));
        (await Store.RevisionsAsync("configs:shop", "cfg", None)).ShouldBe([first, second]);
        (await Store.GetAsync("configs:shop", "cfg", null, None)).ShouldBe(second);
        (await Store.GetAsync("configs:shop", "cfg", 1, None)).ShouldBe(first);
    }

    [Fact]
    public async Task A_missing_document_or_revision_reads_as_null_or_empty()
    {
        await Store.SaveRevisionAsync("configs:shop", "cfg", "{}", "ann", None);

        (await Store.GetAsync("configs:shop", "nope", null, None)).ShouldBeNull();
        (await Store.GetAsync("configs:shop", "cfg", 2, None)).ShouldBeNull();
        (await Store.GetAsync("configs:web", "cfg", null, None)).ShouldBeNull();
        (await Store.RevisionsAsync("configs:shop", "nope", None)).ShouldBeEmpty();
        (await Store.ListAsync("configs:none", None)).ShouldBeEmpty();
        (await Store.FindAsync("other:", "cfg", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Revisions_are_counted_per_document_so_collections_and_keys_do_not_share_them()
    {
        await Store.SaveRevisionAsync("configs:shop", "a", "{}", "ann", None);
        await Store.SaveRevisionAsync("configs:shop", "a", "{}", "ann", None);

        (await Store.SaveRevisionAsync("configs:shop", "b", "{}", "ann", None)).Revision.ShouldBe(1);
        (await Store.SaveRevisionAsync("configs:web", "a", "{}", "ann", None)).Revision.ShouldBe(1);
    }

    [Fact]
    public async Task Put_replaces_the_one_revision_of_an_unversioned_document()
    {
        await Store.PutAsync("reports:run", "000001", """{"score":1}""", "mizzen", None);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var replaced = await Store.PutAsync("reports:run", "000001", """{"score":2}""", "mizzen", None);

        replaced.ShouldBe(new StoredDocument("reports:run", "000001", 1, """{"score":2}""", "mizzen", TestTime.Start.AddSeconds(30)));
        (await Store.RevisionsAsync("reports:run", "000001", None)).ShouldBe([replaced]);
    }

    [Fact]
    public async Task Put_on_a_versioned_document_leaves_it_with_one_revision()
    {
        await Store.SaveRevisionAsync("configs:shop", "cfg", """{"v":1}""", "ann", None);
        await Store.SaveRevisionAsync("configs:shop", "cfg", """{"v":2}""", "ann", None);

        var put = await Store.PutAsync("configs:shop", "cfg", """{"v":3}""", "bob", None);

        put.Revision.ShouldBe(1);
        (await Store.RevisionsAsync("configs:shop", "cfg", None)).ShouldBe([put]);
    }

    [Fact]
    public async Task List_gives_the_latest_revision_of_each_document_of_the_collection_in_ordinal_key_order()
    {
        await Store.SaveRevisionAsync("configs:shop", "b", """{"v":1}""", "ann", None);
        await Store.SaveRevisionAsync("configs:shop", "B", """{"v":1}""", "ann", None);
        await Store.SaveRevisionAsync("configs:shop", "a", """{"v":1}""", "ann", None);
        await Store.SaveRevisionAsync("configs:shop", "b", """{"v":2}""", "ann", None);
        await Store.SaveRevisionAsync("configs:shop-x", "c", """{"v":1}""", "ann", None);

        var listed = await Store.ListAsync("configs:shop", None);

        listed.Select(d => (d.Key, d.Revision, d.Body)).ShouldBe([("B", 1, """{"v":1}"""), ("a", 1, """{"v":1}"""), ("b", 2, """{"v":2}""")]);
    }

    [Fact]
    public async Task Find_looks_through_every_collection_with_the_prefix_and_returns_the_latest_revision()
    {
        await Store.SaveRevisionAsync("configs:web", "cfg", """{"v":1}""", "ann", None);
        await Store.SaveRevisionAsync("configs:web", "cfg", """{"v":2}""", "ann", None);
        await Store.SaveRevisionAsync("configsX:aaa", "cfg", "{}", "ann", None);
        await Store.SaveRevisionAsync("reports:web", "cfg", "{}", "ann", None);

        var found = (await Store.FindAsync("configs:", "cfg", None)).ShouldNotBeNull();

        (found.Collection, found.Revision, found.Body).ShouldBe(("configs:web", 2, """{"v":2}"""));
    }

    [Fact]
    public async Task Find_takes_the_first_collection_in_ordinal_order_when_several_hold_the_key()
    {
        await Store.SaveRevisionAsync("configs:zoo", "cfg", "{}", "ann", None);
        await Store.SaveRevisionAsync("configs:ant", "cfg", "{}", "ann", None);
        await Store.SaveRevisionAsync("configs:ant", "cfg", "{}", "ann", None);

        var found = (await Store.FindAsync("configs:", "cfg", None)).ShouldNotBeNull();

        (found.Collection, found.Revision).ShouldBe(("configs:ant", 2));
    }

    [Fact]
    public async Task Find_treats_the_prefix_literally()
    {
        await Store.SaveRevisionAsync("configs_x", "cfg", "{}", "ann", None);
        await Store.SaveRevisionAsync("configs%y", "cfg", "{}", "ann", None);

        (await Store.FindAsync("configs%", "cfg", None)).ShouldNotBeNull().Collection.ShouldBe("configs%y");
        (await Store.FindAsync("configs_", "cfg", None)).ShouldNotBeNull().Collection.ShouldBe("configs_x");
        (await Store.FindAsync("configs*", "cfg", None)).ShouldBeNull();
    }

    [Fact]
    public async Task Delete_removes_every_revision_of_the_document_and_only_it()
    {
        await Store.SaveRevisionAsync("configs:shop", "cfg", "{}", "ann", None);
        await Store.SaveRevisionAsync("configs:shop", "cfg", "{}", "ann", None);
        var other = await Store.SaveRevisionAsync("configs:shop", "cfg2", "{}", "ann", None);

        (await Store.DeleteAsync("configs:shop", "cfg", None)).ShouldBeTrue();
        (await Store.DeleteAsync("configs:shop", "cfg", None)).ShouldBeFalse();

        (await Store.RevisionsAsync("configs:shop", "cfg", None)).ShouldBeEmpty();
        (await Store.ListAsync("configs:shop", None)).ShouldBe([other]);
        (await Store.SaveRevisionAsync("configs:shop", "cfg", "{}", "ann", None)).Revision.ShouldBe(1);
    }

    [Fact]
    public async Task Bodies_and_names_are_stored_exactly_as_given()
    {
        const string body = """{ "text": "ünïcødé — \"quoted\" \n", "n": 1.50 }""";
        await Store.SaveRevisionAsync("configs:shop", "ключ/with/slashes", body, "Ann O'Neil", None);

        var read = (await Store.GetAsync("configs:shop", "ключ/with/slashes", null, None)).ShouldNotBeNull();

        (read.Body, read.SavedBy).ShouldBe((body, "Ann O'Neil"));
    }

    [Fact]
    public async Task Concurrent_saves_of_one_document_get_distinct_consecutive_revisions()
    {
        var saves = Enumerable.Range(0, 20).Select(i => Store.SaveRevisionAsync("configs:shop", "cfg", $$"""{"i":{{i}}}""", "ann", None));

        var revisions = (await Task.WhenAll(saves)).Select(d => d.Revision).Order().ToList();

        revisions.ShouldBe(Enumerable.Range(1, 20).ToList());
        (await Store.RevisionsAsync("configs:shop", "cfg", None)).Count.ShouldBe(20);
    }
}
