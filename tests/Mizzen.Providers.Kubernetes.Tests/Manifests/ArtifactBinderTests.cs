using System.Text.Json.Nodes;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Tests.Manifests;

public sealed class ArtifactBinderTests
{
    private static KubernetesManifest Deployment() => new(JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod"},
         "spec":{"template":{"spec":{
           "containers":[{"name":"web","image":"gcr.io/x/web:1.0",
             "envFrom":[{"configMapRef":{"name":"settings"}},{"secretRef":{"name":"creds"}}],
             "env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"settings","key":"a"}}},{"name":"B","valueFrom":{"secretKeyRef":{"name":"creds","key":"b"}}}]}],
           "initContainers":[{"name":"migrate","image":"gcr.io/x/web@sha256:aaa"}],
           "volumes":[{"name":"v","configMap":{"name":"settings"}},{"name":"s","secret":{"secretName":"creds"}},
                      {"name":"p","projected":{"sources":[{"configMap":{"name":"settings"}},{"secret":{"name":"creds"}}]}}]}}}}
        """)!.AsObject());

    private static JsonObject Artifact(string type, string name, string reference, string? location = null, string? account = null)
    {
        var artifact = new JsonObject { ["type"] = type, ["name"] = name, ["reference"] = reference };
        if (location is not null)
        {
            artifact["location"] = location;
        }

        if (account is not null)
        {
            artifact["metadata"] = new JsonObject { ["account"] = account };
        }

        return artifact;
    }

    [Theory]
    [InlineData("gcr.io/x/nginx:1.0", "gcr.io/x/nginx")]
    [InlineData("gcr.io/x/nginx@sha256:abc", "gcr.io/x/nginx")]
    [InlineData("localhost:5000/nginx", "localhost:5000/nginx")]
    [InlineData("localhost:5000/nginx:2", "localhost:5000/nginx")]
    [InlineData("nginx", "nginx")]
    public void Image_names_lose_their_tag_or_digest_but_keep_a_registry_port(string image, string name) =>
        ArtifactBinder.ImageName(image).ShouldBe(name);

    [Fact]
    public void An_image_artifact_replaces_every_container_of_that_image()
    {
        var manifest = Deployment();

        var bound = ArtifactBinder.Bind(manifest, [Artifact("docker/image", "gcr.io/x/web", "gcr.io/x/web@sha256:bbb")], "prod-cluster");

        bound.Count.ShouldBe(1);
        manifest.Containers.Select(c => c["image"]!.GetValue<string>()).ShouldAllBe(i => i == "gcr.io/x/web@sha256:bbb");
    }

    [Fact]
    public void ConfigMap_and_Secret_artifacts_rename_every_reference_to_their_versioned_names()
    {
        var manifest = Deployment();

        ArtifactBinder.Bind(manifest, [
            Artifact("kubernetes/configMap", "settings", "settings-v003", location: "prod", account: "prod-cluster"),
            Artifact("kubernetes/secret", "creds", "creds-v001", location: "prod"),
        ], "prod-cluster");

        var text = manifest.Json.ToJsonString();
        text.ShouldNotContain("\"settings\"");
        text.ShouldNotContain("\"creds\"");
        System.Text.RegularExpressions.Regex.Matches(text, "settings-v003").Count.ShouldBe(4);
        System.Text.RegularExpressions.Regex.Matches(text, "creds-v001").Count.ShouldBe(4);
    }

    [Fact]
    public void A_kubernetes_artifact_of_another_namespace_or_account_is_not_used()
    {
        var manifest = Deployment();

        var bound = ArtifactBinder.Bind(manifest, [
            Artifact("kubernetes/configMap", "settings", "settings-v009", location: "staging"),
            Artifact("kubernetes/configMap", "settings", "settings-v008", location: "prod", account: "other-cluster"),
        ], "prod-cluster");

        bound.ShouldBeEmpty();
        manifest.Json.ToJsonString().ShouldNotContain("settings-v00");
    }
}
