using System.Formats.Tar;
using System.IO.Compression;
using Mizzen.Providers.Local.Api;
using Mizzen.Providers.Local.Bundles;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Integration;

[Collection(ProcessCollection.Name)]
public sealed class BundleTests(DemoServiceFixture demo)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("zip")]
    [InlineData("tar.gz")]
    public async Task Archived_bundles_are_unpacked_and_started_from_their_Procfile(string kind)
    {
        await using var harness = await ProviderHarness.StartAsync();
        var bundle = kind == "zip" ? demo.ZipBundle : demo.TarGzBundle;
        var name = await harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo, version: kind) with { Artifact = new LocalArtifact { Reference = bundle } }, None);

        var instance = (await harness.WaitUpAsync("staging", name, 1)).Instances[0];
        (await HttpProbe.GetVersionAsync(new Uri($"http://127.0.0.1:{instance.Port}/"))).ShouldBe((200, kind));
    }

    [Fact]
    public async Task A_zip_entry_climbing_out_of_the_bundle_folder_refuses_the_deploy()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var evil = Path.Combine(harness.Folder, "evil.zip");
        using (var archive = ZipFile.Open(evil, ZipArchiveMode.Create))
        {
            await using var writer = new StreamWriter(archive.CreateEntry("../../escaped.txt").Open());
            await writer.WriteAsync("gotcha");
        }

        var error = await Should.ThrowAsync<BundleException>(() => harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo) with { Artifact = new LocalArtifact { Reference = evil } }, None));

        error.Message.ShouldContain("outside the bundle folder");
        Directory.EnumerateFiles(harness.Folder, "escaped.txt", SearchOption.AllDirectories).ShouldBeEmpty();
        File.Exists(Path.Combine(Path.GetDirectoryName(harness.Folder)!, "escaped.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_tar_symlink_pointing_outside_the_bundle_refuses_the_deploy()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var evil = Path.Combine(harness.Folder, "evil.tar.gz");
        await using (var file = File.Create(evil))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "etc-link") { LinkName = "/etc" });
        }

        await Should.ThrowAsync<BundleException>(() => harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo) with { Artifact = new LocalArtifact { Reference = evil } }, None));
        (await harness.Provider.ListApplicationsAsync(None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_bundle_without_Procfile_or_command_is_refused_with_a_message_saying_what_to_add()
    {
        await using var harness = await ProviderHarness.StartAsync();
        var empty = Directory.CreateDirectory(Path.Combine(harness.Folder, "empty-bundle")).FullName;

        var error = await Should.ThrowAsync<BundleException>(() => harness.Provider.DeployServerGroupAsync(
            harness.Demo(demo) with { Artifact = new LocalArtifact { Reference = empty } }, None));
        error.Message.ShouldContain("Procfile");
    }
}
