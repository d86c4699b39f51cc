using System.Text.Json.Nodes;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Tests.Manifests;

public sealed class ResourceVersionerTests
{
    private static KubernetesManifest ConfigMap(string name, string value, string? hash = null)
    {
        var manifest = new KubernetesManifest(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "prod" },
            ["data"] = new JsonObject { ["key"] = value },
        });
        if (hash is not null)
        {
            manifest.Annotations[KubernetesAnnotations.ManifestHash] = hash;
        }

        return manifest;
    }

    [Theory]
    [InlineData(0, "v000")]
    [InlineData(7, "v007")]
    [InlineData(999, "v999")]
    [InlineData(1000, "v1000")]
    public void Versions_are_spelled_as_clouddriver_does(int version, string text) => ResourceVersioner.Format(version).ShouldBe(text);

    [Fact]
    public void The_first_version_is_zero_and_the_next_is_one_more_than_the_highest()
    {
        ResourceVersioner.Next("settings", "h", []).ShouldBe((0, false));

        var existing = new[] { ConfigMap("settings-v000", "a", "h0").Json, ConfigMap("settings-v004", "b", "h4").Json, ConfigMap("other-v009", "c", "h9").Json };

        ResourceVersioner.Next("settings", "new", existing).ShouldBe((5, false));
    }

    [Fact]
    public void An_unchanged_manifest_reuses_its_version()
    {
        var first = ConfigMap("settings", "a");
        var hash = ResourceVersioner.Hash(first);
        var deployed = ConfigMap("settings-v002", "a", hash);

        ResourceVersioner.Hash(ConfigMap("settings", "a")).ShouldBe(hash);
        ResourceVersioner.Next("settings", hash, [deployed.Json, ConfigMap("settings-v003", "b", "other").Json]).ShouldBe((2, true));
        ResourceVersioner.Hash(ConfigMap("settings", "b")).ShouldNotBe(hash);
    }

    [Fact]
    public void The_hash_ignores_name_and_Spinnaker_annotations_but_not_user_labels()
    {
        var a = ConfigMap("settings", "a");
        var b = ConfigMap("settings-v007", "a");
        b.Annotations[KubernetesAnnotations.Sequence] = "7";
        var c = ConfigMap("settings", "a");
        c.Labels["tier"] = "web";

        ResourceVersioner.Hash(b).ShouldBe(ResourceVersioner.Hash(a));
        ResourceVersioner.Hash(c).ShouldNotBe(ResourceVersioner.Hash(a));
    }

    [Fact]
    public void Versioning_follows_the_annotation_then_the_stage_then_the_kind()
    {
        var kind = KubernetesKinds.Find("ConfigMap")!;
        var manifest = ConfigMap("settings", "a");

        ResourceVersioner.IsVersioned(manifest, kind, null).ShouldBeTrue();
        ResourceVersioner.IsVersioned(manifest, kind, false).ShouldBeFalse();
        manifest.Annotations[KubernetesAnnotations.Versioned] = "true";
        ResourceVersioner.IsVersioned(manifest, kind, false).ShouldBeTrue();
        ResourceVersioner.IsVersioned(manifest, KubernetesKinds.Find("Deployment")!, null).ShouldBeTrue();
    }

    [Fact]
    public void Surplus_versions_are_the_oldest_beyond_the_history_to_keep()
    {
        var existing = Enumerable.Range(0, 5).Select(v => ConfigMap($"settings-v00{v}", "x").Json).Append(ConfigMap("unrelated", "y").Json);

        ResourceVersioner.Surplus("settings", existing, 2).Select(o => o["metadata"]!["name"]!.GetValue<string>())
            .ShouldBe(["settings-v002", "settings-v001", "settings-v000"]);
    }

    [Fact]
    public void The_namer_adds_moniker_annotations_without_overwriting_and_labels_the_pod_template()
    {
        var manifest = new KubernetesManifest(JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-v003","annotations":{"moniker.spinnaker.io/cluster":"mine"}},
             "spec":{"template":{"metadata":{"labels":{"app":"web"}}}}}
            """)!.AsObject());

        MonikerNamer.Apply(manifest, new KubernetesMoniker("shop", "replicaSet web", "prod", null, 3));

        manifest.Annotation(KubernetesAnnotations.Application).ShouldBe("shop");
        manifest.Annotation(KubernetesAnnotations.Cluster).ShouldBe("mine");
        manifest.Annotation(KubernetesAnnotations.Stack).ShouldBe("prod");
        manifest.Annotation(KubernetesAnnotations.Sequence).ShouldBe("3");
        manifest.Label(KubernetesAnnotations.ManagedByLabel).ShouldBe("spinnaker");
        var templateLabels = manifest.PodTemplate!["metadata"]!["labels"]!;
        templateLabels["app.kubernetes.io/name"]!.GetValue<string>().ShouldBe("shop");
        templateLabels["moniker.spinnaker.io/sequence"]!.GetValue<string>().ShouldBe("3");
        KubernetesMoniker.Of(manifest).ShouldBe(new KubernetesMoniker("shop", "mine", "prod", null, 3));
    }
}
