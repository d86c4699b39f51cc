using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Persistence.Applications;
using Mizzen.Persistence.Documents;
using Mizzen.Persistence.Lookups;
using Mizzen.Persistence.Pipelines;

namespace Mizzen.Persistence.Tests.Lookups;

/// <summary>
/// The synchronous reads of the expression functions give the same answers as the asynchronous stores, on any backend:
/// a backend's tests subclass this and give a container holding its stores (<see cref="CreateAsync"/>).
/// </summary>
public abstract class StoreLookupReadsContract : IAsyncLifetime
{
    private IServiceProvider? services;

    private IServiceProvider Services => services ?? throw new InvalidOperationException("opened in InitializeAsync");

    private IStoreLookupReads Reads => Services.GetRequiredService<IStoreLookupReads>();

    public async Task InitializeAsync() => services = await CreateAsync();

    public Task DisposeAsync() => DisposeStoreAsync();

    /// <summary>An empty store's container (the store interfaces and <see cref="IStoreLookupReads"/>).</summary>
    protected abstract Task<IServiceProvider> CreateAsync();

    protected abstract Task DisposeStoreAsync();

    [Fact]
    public async Task A_pipeline_id_is_found_by_application_and_name_in_any_case()
    {
        var configs = Services.GetRequiredService<IPipelineConfigStore>();
        await configs.SaveAsync(PipelineConfig.Parse("""{"id":"cfg-1","application":"Shop","name":"Deploy Prod","stages":[]}"""), "ann", CancellationToken.None);
        await configs.SaveAsync(PipelineConfig.Parse("""{"id":"cfg-2","application":"web","name":"Deploy Prod","stages":[]}"""), "ann", CancellationToken.None);

        Reads.FindPipelineId("shop", "deploy prod").ShouldBe("cfg-1");
        Reads.FindPipelineId("SHOP", "DEPLOY PROD").ShouldBe("cfg-1");
        Reads.FindPipelineId("web", "Deploy Prod").ShouldBe("cfg-2");
        Reads.FindPipelineId("shop", "Deploy").ShouldBeNull();
        Reads.FindPipelineId("billing", "Deploy Prod").ShouldBeNull();
    }

    [Fact]
    public async Task An_application_is_read_as_the_store_returns_it()
    {
        await Services.GetRequiredService<IApplicationStore>().SaveAsync(new Application { Name = "Shop", Email = "team@example.com" }, CancellationToken.None);
        var stored = (await Services.GetRequiredService<IApplicationStore>().GetAsync("shop", CancellationToken.None)).ShouldNotBeNull();

        var read = Reads.FindApplication("SHOP").ShouldNotBeNull();

        (read.Name, read.Email, read.CreateTs, read.UpdateTs).ShouldBe((stored.Name, stored.Email, stored.CreateTs, stored.UpdateTs));
        Reads.FindApplication("other").ShouldBeNull();
    }

    [Fact]
    public async Task Documents_are_listed_as_the_document_store_lists_them()
    {
        var documents = Services.GetRequiredService<IDocumentStore>();
        await documents.SaveRevisionAsync("canary-config:shop", "b", """{"v":1}""", "ann", CancellationToken.None);
        await documents.SaveRevisionAsync("canary-config:shop", "b", """{"v":2}""", "bob", CancellationToken.None);
        await documents.SaveRevisionAsync("canary-config:shop", "a", """{"v":1}""", "ann", CancellationToken.None);
        await documents.SaveRevisionAsync("canary-config:web", "c", """{"v":1}""", "ann", CancellationToken.None);

        Reads.ListDocuments("canary-config:shop").ShouldBe(await documents.ListAsync("canary-config:shop", CancellationToken.None));
        Reads.ListDocuments("canary-config:shop").Select(d => (d.Key, d.Revision)).ShouldBe([("a", 1), ("b", 2)]);
        Reads.ListDocuments("canary-config:none").ShouldBeEmpty();
    }
}
