using Microsoft.Extensions.Options;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Bake;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>The kustomize built into the installed kubectl (<c>/usr/bin/kubectl</c> v1.32) renders a real kustomization.</summary>
public sealed class KustomizeRendererTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("mizzen-kustomize-test-");

    [Fact]
    public async Task Kubectl_kustomize_renders_an_overlay_over_its_base()
    {
        var overlay = KustomizeFixture.Write(folder.FullName);

        var yaml = await Renderer().RenderAsync(folder.FullName, Path.GetRelativePath(folder.FullName, Path.Combine(overlay, "kustomization.yaml")), CancellationToken.None);

        yaml.ShouldContain("name: prod-web");
        yaml.ShouldContain("replicas: 3");
        yaml.ShouldContain("image: registry.example.com/web:2.0");
        yaml.ShouldContain("kind: Service");
    }

    [Fact]
    public async Task A_broken_kustomization_fails_with_kustomizes_own_message()
    {
        Directory.CreateDirectory(Path.Combine(folder.FullName, "bad"));
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "bad", "kustomization.yaml"), "resources:\n- missing.yaml\n");

        var error = await Should.ThrowAsync<RendererException>(() => Renderer().RenderAsync(folder.FullName, "bad/kustomization.yaml", CancellationToken.None));
        error.Message.ShouldStartWith("kubectl kustomize failed:");
        error.Message.ShouldContain("missing.yaml");
    }

    [Fact]
    public void A_path_outside_the_checkout_is_refused()
    {
        Should.Throw<ValidationException>(() => KustomizeRenderer.Directory(folder.FullName, "../etc")).Problems.Single().Location.ShouldBe("kustomizeFilePath");
        Should.Throw<ValidationException>(() => KustomizeRenderer.Directory(folder.FullName, "nope/kustomization.yaml")).Message.ShouldContain("does not exist");
    }

    public void Dispose() => folder.Delete(recursive: true);

    private static KustomizeRenderer Renderer() => new(Options.Create(new KustomizeOptions { KubectlPath = KustomizeFixture.Kubectl }), TimeProvider.System);
}
