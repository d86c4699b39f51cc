using Mizzen.Testing.Docker;
using Mizzen.Triggers.Docker;

namespace Mizzen.Triggers.Tests.Docker;

/// <summary>The registry client against the real registry: tag pages through the Link header, digests of existing and absent tags.</summary>
public sealed class DockerRegistryClientTests : IAsyncLifetime
{
    private DockerRegistryProcess registry = null!;

    public async Task InitializeAsync() => registry = await DockerRegistryProcess.StartNewAsync();

    public async Task DisposeAsync() => await registry.DisposeAsync();

    [Fact]
    public async Task Tags_are_read_page_by_page_following_the_link_header_and_digests_by_head()
    {
        var manifest = await registry.UploadImageAsync("team/app", "layer");
        var digest = "";
        foreach (var tag in new[] { "a", "b", "c", "d", "e" })
        {
            digest = await registry.TagAsync("team/app", tag, manifest);
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var client = new DockerRegistryClient(() => http, new DockerRegistryAccount { Name = "local", Address = registry.Address }, TimeProvider.System, pageSize: 2);

        (await client.TagsAsync("team/app", CancellationToken.None)).Order().ShouldBe(["a", "b", "c", "d", "e"]); // in pages of 2; distribution 2.8 does not sort them
        (await client.TagsAsync("team/none", CancellationToken.None)).ShouldBeEmpty();
        (await client.DigestAsync("team/app", "c", CancellationToken.None)).ShouldBe(digest);
        (await client.DigestAsync("team/app", "zz", CancellationToken.None)).ShouldBeNull();
    }
}
