using System.Net;
using System.Net.Sockets;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Bundles;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class BundleDownloadTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_tar_gz_bundle_downloaded_over_http_is_unpacked_started_and_the_download_deleted()
    {
        await using var server = BundleServer.Start(demo.TarGzBundle, chunked: false);
        await using var harness = await ProviderHarness.StartAsync();

        var name = await harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo, version: "downloaded") with { Artifact = new LocalArtifact { Reference = server.Url.ToString() } }, None);

        var instance = (await harness.WaitUpAsync("staging", name, 1)).Instances[0];
        (await HttpProbe.GetVersionAsync(new Uri($"http://127.0.0.1:{instance.Port}/"))).ShouldBe((200, "downloaded"));
        server.Requests.ShouldBe(1);
        Directory.EnumerateFiles(Path.Combine(harness.Folder, "staging", "downloads")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_download_over_the_size_cap_is_refused_with_the_limit_in_the_message(bool chunked)
    {
        await using var server = BundleServer.Start(demo.TarGzBundle, chunked);
        await using var harness = await ProviderHarness.StartAsync(o => o.MaxBundleBytes = 64 * 1024);

        var error = await Should.ThrowAsync<BundleException>(() => harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo) with { Artifact = new LocalArtifact { Reference = server.Url.ToString() } }, None));

        error.Message.ShouldContain(server.Url.ToString());
        error.Message.ShouldContain("over the 65536-byte limit");
        (await harness.Provider.ListServerGroupsAsync("demo", None)).ShouldBeEmpty();
        Directory.EnumerateFiles(Path.Combine(harness.Folder, "staging", "downloads")).ShouldBeEmpty();
    }

    /// <summary>Serves one file at <c>/app.tar.gz</c> from an HttpListener on 127.0.0.1, with a Content-Length or chunked.</summary>
    private sealed class BundleServer : IAsyncDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Task loop;
        private int requests;

        private BundleServer(string file, bool chunked)
        {
            var port = FreePort();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            Url = new Uri($"http://127.0.0.1:{port}/app.tar.gz");
            loop = Task.Run(() => ServeAsync(file, chunked));
        }

        public Uri Url { get; }

        public int Requests => Volatile.Read(ref requests);

        public static BundleServer Start(string file, bool chunked) => new(file, chunked);

        private async Task ServeAsync(string file, bool chunked)
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref requests);
                try
                {
                    context.Response.ContentType = "application/gzip";
                    context.Response.SendChunked = chunked;
                    if (!chunked)
                    {
                        context.Response.ContentLength64 = new FileInfo(file).Length;
                    }

                    await using var source = File.OpenRead(file);
                    await source.CopyToAsync(context.Response.OutputStream);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or IOException)
                {
                    // The client stopped reading (the size cap): nothing more to send.
                    context.Response.Abort();
                }
            }
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            listener.Close();
            await loop;
        }
    }
}
