using System.IO.Compression;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Clouds;
using Mizzen.Persistence;

namespace Mizzen.Orchestration.Tests.Artifacts;

/// <summary>A bundle given as a file artifact is fetched into the data folder, content-addressed, and deployed as a local/bundle.</summary>
public sealed class FetchedBundlesTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("mizzen-bundles-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    private FetchedBundles Bundles(ServiceProvider services) => services.GetRequiredService<FetchedBundles>();

    private ServiceProvider Services()
    {
        var collection = new ServiceCollection().AddMizzenArtifacts();
        collection.Configure<StorageOptions>(o => o.DataFolder = data);
        return collection.BuildServiceProvider();
    }

    private static byte[] Zip(string text)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("Procfile").Open());
            writer.Write(text);
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task An_embedded_zip_becomes_a_local_bundle_file_named_by_its_content_and_found_again()
    {
        using var services = Services();
        var artifact = new CloudArtifact("embedded/base64", "app", "3", Convert.ToBase64String(Zip("web: ./app")));

        var first = await Bundles(services).DeployableAsync(artifact, default);
        var again = await Bundles(services).DeployableAsync(artifact, default);

        first.Type.ShouldBe("local/bundle");
        first.Version.ShouldBe("3");
        first.Reference.ShouldStartWith(Path.Combine(data, "artifacts", "bundles"));
        first.Reference.ShouldEndWith(".zip");
        again.Reference.ShouldBe(first.Reference);
        Directory.GetFiles(Path.Combine(data, "artifacts", "bundles")).ShouldHaveSingleItem();
        using var zip = ZipFile.OpenRead(first.Reference);
        zip.Entries.ShouldHaveSingleItem().FullName.ShouldBe("Procfile");
    }

    [Fact]
    public async Task Content_that_is_not_an_archive_is_refused_naming_the_artifact()
    {
        using var services = Services();
        var artifact = new CloudArtifact("embedded/base64", "app", null, Convert.ToBase64String("just text"u8.ToArray()));

        var error = await Should.ThrowAsync<ArtifactException>(() => Bundles(services).DeployableAsync(artifact, default));

        error.Message.ShouldBe("artifact embedded/base64 'app': its content is neither a .zip nor a .tar.gz bundle, so it cannot be deployed");
    }

    [Fact]
    public async Task A_local_bundle_or_an_image_passes_through_unchanged()
    {
        using var services = Services();
        var bundle = new CloudArtifact("local/bundle", "app", "1", "/srv/app.zip");
        var image = new CloudArtifact("docker/image", "app", "1", "registry.example/app:1");

        (await Bundles(services).DeployableAsync(bundle, default)).ShouldBe(bundle);
        (await Bundles(services).DeployableAsync(image, default)).ShouldBe(image);
    }
}
