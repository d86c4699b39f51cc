using Mizzen.Core.Errors;
using Mizzen.Core.Model;
using Mizzen.Persistence.Pipelines;
using Mizzen.Testing;
using Mizzen.Testing.Stores;

namespace Mizzen.Persistence.Tests;

public abstract class PipelineConfigStoreTests(StoreBackend backend) : IAsyncLifetime
{
    private StoreServices services = null!;
    private IPipelineConfigStore store = null!;

    public async Task InitializeAsync()
    {
        services = await StoreServices.CreateAsync(backend, TestTime.Clock());
        store = services.Get<IPipelineConfigStore>();
    }

    public async Task DisposeAsync() => await services.DisposeAsync();

    [Fact]
    public async Task A_second_pipeline_may_not_take_a_name_the_application_already_uses_and_nothing_is_written()
    {
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"deploy","id":"aaa","stages":[]}"""), "ann", CancellationToken.None);

        var conflict = await Should.ThrowAsync<ConflictException>(() =>
            store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"Deploy","id":"bbb","stages":[]}"""), "bob", CancellationToken.None));

        conflict.Message.ShouldContain("'Deploy' already exists in application 'shop' (id aaa)");
        (await store.ListAsync("shop", CancellationToken.None)).Select(c => c.Id).ShouldBe(["aaa"]);
        (await store.HistoryAsync("bbb", 10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_same_pipeline_saved_again_by_id_or_by_name_gets_a_new_revision_and_the_name_is_free_in_other_applications()
    {
        (await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"deploy","id":"aaa","stages":[]}"""), "ann", CancellationToken.None)).ShouldBe(1);
        (await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"deploy","id":"aaa","stages":[],"description":"v2"}"""), "ann", CancellationToken.None)).ShouldBe(2);
        (await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"deploy","stages":[]}"""), "ann", CancellationToken.None)).ShouldBe(3);
        (await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"deploy (renamed)","id":"aaa","stages":[]}"""), "ann", CancellationToken.None)).ShouldBe(4);
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"cart","name":"deploy","id":"ccc","stages":[]}"""), "ann", CancellationToken.None);

        (await store.ListAsync("shop", CancellationToken.None)).ShouldHaveSingleItem().Name.ShouldBe("deploy (renamed)");
        (await store.FindByNameAsync("cart", "deploy", CancellationToken.None))!.Id.ShouldBe("ccc");
    }

    [Fact]
    public async Task Configs_with_triggers_are_listed_across_applications_and_the_change_stamp_moves_with_every_save_and_delete()
    {
        var ct = CancellationToken.None;
        var empty = await store.ChangeStampAsync(ct);
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"hook","id":"a","triggers":[{"type":"webhook","source":"x"}],"stages":[]}"""), "ann", ct);
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"cart","name":"cron","id":"b","triggers":[{"type":"cron"}],"stages":[]}"""), "ann", ct);
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"cart","name":"none","id":"c","triggers":[],"stages":[]}"""), "ann", ct);
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"cart","name":"odd","id":"d","triggers":{"type":"cron"},"stages":[]}"""), "ann", ct);
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"cart","name":"bare","id":"e","stages":[]}"""), "ann", ct);

        (await store.ListWithTriggersAsync(ct)).Select(c => c.Id).ShouldBe(["b", "a"]); // by application, then name

        var stamps = new List<string> { empty, await store.ChangeStampAsync(ct) };
        await store.SaveAsync(PipelineConfig.Parse("""{"application":"shop","name":"hook","id":"a","triggers":[],"stages":[]}"""), "ann", ct);
        stamps.Add(await store.ChangeStampAsync(ct));
        await store.DeleteAsync("b", ct);
        stamps.Add(await store.ChangeStampAsync(ct));

        stamps.Distinct().Count().ShouldBe(4);
        (await store.ChangeStampAsync(ct)).ShouldBe(stamps[^1]); // unchanged without a change
        (await store.ListWithTriggersAsync(ct)).ShouldBeEmpty();
    }
}

public sealed class PipelineConfigStoreTestsOnSqlite() : PipelineConfigStoreTests(StoreBackend.Sqlite);

public sealed class PipelineConfigStoreTestsOnPostgres() : PipelineConfigStoreTests(StoreBackend.Postgres);
