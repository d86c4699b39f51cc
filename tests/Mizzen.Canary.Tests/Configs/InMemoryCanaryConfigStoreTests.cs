using Mizzen.Canary.Configs;
using Mizzen.Testing;

namespace Mizzen.Canary.Tests.Configs;

public sealed class InMemoryCanaryConfigStoreTests
{
    [Fact]
    public async Task Saving_twice_creates_revisions_with_who_and_when()
    {
        var clock = TestTime.Clock();
        var store = new InMemoryCanaryConfigStore(clock);
        var config = CanaryConfigJson.Parse("""{"id":"cfg-1","name":"golden","metrics":[{"name":"a"}]}""");

        await store.SaveAsync("shop", config, "ana", TestContext.Current);
        clock.Advance(TimeSpan.FromMinutes(5));
        config.Description = "second";
        var second = await store.SaveAsync("shop", config, "bo", TestContext.Current);

        second.Revision.ShouldBe(2);
        (await store.GetAsync("shop", "cfg-1", null, TestContext.Current))!.Config.Description.ShouldBe("second");
        (await store.GetAsync("shop", "cfg-1", 1, TestContext.Current))!.SavedBy.ShouldBe("ana");
        var revisions = await store.ListRevisionsAsync("shop", "cfg-1", TestContext.Current);
        revisions.Select(r => r.SavedAt).ShouldBe([clock.GetUtcNow() - TimeSpan.FromMinutes(5), clock.GetUtcNow()]);
        (await store.ListAsync("shop", TestContext.Current)).ShouldHaveSingleItem();
        (await store.ListAsync("other", TestContext.Current)).ShouldBeEmpty();
        (await store.DeleteAsync("shop", "cfg-1", TestContext.Current)).ShouldBeTrue();
        (await store.GetAsync("shop", "cfg-1", null, TestContext.Current)).ShouldBeNull();
    }
}

internal static class TestContext
{
    public static CancellationToken Current => CancellationToken.None;
}
