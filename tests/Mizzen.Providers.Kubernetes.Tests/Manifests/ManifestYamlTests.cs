using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Manifests;

namespace Mizzen.Providers.Kubernetes.Tests.Manifests;

public sealed class ManifestYamlTests
{
    [Fact]
    public void Several_documents_become_several_manifests_with_Kubernetes_types()
    {
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              version: "1.0"
              enabled: "true"
            ---
            # an empty document is skipped
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 3
              paused: false
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
            """;

        var manifests = ManifestYaml.Parse(yaml, "manifests");

        manifests.Count.ShouldBe(2);
        manifests[0]["data"]!["version"]!.GetValue<string>().ShouldBe("1.0");
        manifests[0]["data"]!["enabled"]!.GetValue<string>().ShouldBe("true");
        manifests[1]["spec"]!["replicas"]!.GetValue<long>().ShouldBe(3);
        manifests[1]["spec"]!["paused"]!.GetValue<bool>().ShouldBeFalse();
        new KubernetesManifest(manifests[1]).Containers.Single()["image"]!.GetValue<string>().ShouldBe("nginx:1.27");
    }

    [Fact]
    public void A_List_is_flattened_into_its_items()
    {
        const string yaml = """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Service, metadata: {name: a}}
            - {apiVersion: v1, kind: Service, metadata: {name: b}}
            """;

        ManifestYaml.Parse(yaml, "manifests").Select(m => m["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void Bad_yaml_names_the_source_line_and_column()
    {
        var error = Should.Throw<ValidationException>(() => ManifestYaml.Parse("kind: Service\nmetadata: {name: [a\n", "manifest artifact gs://b/m.yml"));

        error.Problems.Single().Location.ShouldBe("manifest artifact gs://b/m.yml");
        error.Message.ShouldContain("line");
    }

    [Fact]
    public void A_document_that_is_not_a_map_is_refused()
    {
        var error = Should.Throw<ValidationException>(() => ManifestYaml.Parse("- a\n- b\n", "manifests"));

        error.Message.ShouldContain("document 1 is not a Kubernetes object");
    }

    [Fact]
    public void The_wrapper_reads_and_writes_through_to_the_json()
    {
        var json = JsonNode.Parse("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web","namespace":"prod"},"spec":{"template":{"spec":{"initContainers":[{"name":"init","image":"busybox"}],"containers":[{"name":"web","image":"nginx"}]}}}}""")!.AsObject();
        var manifest = new KubernetesManifest(json);

        manifest.Labels["app"] = "web";
        manifest.AnnotateIfAbsent("a", "1");
        manifest.AnnotateIfAbsent("a", "2");

        manifest.FullName.ShouldBe("replicaSet web");
        manifest.Key().ShouldBe(new ResourceKey("apps/v1", "ReplicaSet", "prod", "web"));
        manifest.Containers.Select(c => c["name"]!.GetValue<string>()).ShouldBe(["init", "web"]);
        json["metadata"]!["labels"]!["app"]!.GetValue<string>().ShouldBe("web");
        json["metadata"]!["annotations"]!["a"]!.GetValue<string>().ShouldBe("1");
    }
}
