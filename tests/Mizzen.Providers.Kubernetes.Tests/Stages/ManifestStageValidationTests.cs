using System.Text.Json.Nodes;
using Mizzen.Core.Errors;
using Mizzen.Providers.Kubernetes.Stages.DeleteManifest;
using Mizzen.Providers.Kubernetes.Stages.DeployManifest;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

public sealed class ManifestStageValidationTests
{
    private static List<ValidationProblem> Deploy(string json) => [.. new DeployManifestStage().Validate(JsonNode.Parse(json)!.AsObject(), "stages[0]")];

    private static List<ValidationProblem> Delete(string json) => [.. new DeleteManifestStage().Validate(JsonNode.Parse(json)!.AsObject(), "stages[0]")];

    [Fact]
    public void Missing_manifests_and_account_are_named()
    {
        var problems = Deploy("""{"type":"deployManifest","name":"d"}""");

        problems.Select(p => p.Location).ShouldBe(["stages[0].account", "stages[0].manifests"], ignoreOrder: true);
        problems.ShouldAllBe(p => p.IsError);
    }

    [Fact]
    public void An_artifact_source_needs_its_artifact_id()
    {
        Deploy("""{"type":"deployManifest","account":"k","source":"artifact"}""").ShouldHaveSingleItem().Location.ShouldBe("stages[0].manifestArtifactId");
    }

    [Fact]
    public void Bad_kinds_and_missing_names_are_named_by_manifest()
    {
        var problems = Deploy("""
            {"type":"deployManifest","account":"k","manifests":[
              {"apiVersion":"apps/v1","kind":"deployment","metadata":{"name":"a"}},
              {"apiVersion":"v1","kind":"Deployment","metadata":{"name":"b"}},
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{}},
              {"kind":"Service","metadata":{"name":"c"}},
              {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"ok"}}]}
            """).Where(p => p.IsError).ToList();

        problems.Select(p => p.ToString()).ShouldBe([
            "stages[0].manifests[0].kind: kinds are case-sensitive: 'deployment' should be 'Deployment'",
            "stages[0].manifests[1].apiVersion: Deployment is served by 'apps/v1', not 'v1'",
            "stages[0].manifests[2].metadata.name: required: every manifest needs a name (or generateName)",
            "stages[0].manifests[3].apiVersion: required: e.g. 'apps/v1' or 'v1'",
        ]);
    }

    [Fact]
    public void Unknown_fields_are_warnings_naming_the_field()
    {
        var problems = Deploy("""{"type":"deployManifest","account":"k","manifests":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}],"manifestz":[]}""");

        var warning = problems.ShouldHaveSingleItem();
        warning.IsError.ShouldBeFalse();
        warning.Location.ShouldBe("stages[0].manifestz");
    }

    [Fact]
    public void Traffic_management_strategy_and_services_are_checked()
    {
        var problems = Deploy("""
            {"type":"deployManifest","account":"k","manifests":[{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"a"}}],
             "trafficManagement":{"enabled":true,"options":{"strategy":"bluegreeen","services":["web"]}}}
            """);

        problems.Select(p => p.Location).ShouldBe(["stages[0].trafficManagement.options.strategy", "stages[0].trafficManagement.options.services[0]"]);
    }

    [Fact]
    public void Delete_needs_a_manifest_name_of_a_known_kind_or_kinds_with_a_selector()
    {
        Delete("""{"type":"deleteManifest","account":"k"}""").ShouldHaveSingleItem().Location.ShouldBe("stages[0].manifestName");
        Delete("""{"type":"deleteManifest","account":"k","manifestName":"gizmo x"}""").ShouldHaveSingleItem().Message.ShouldStartWith("unknown kind 'gizmo'");
        Delete("""{"type":"deleteManifest","account":"k","labelSelectors":{"selectors":[{"key":"app","kind":"EQUALS","values":["x"]}]}}""")
            .ShouldHaveSingleItem().Location.ShouldBe("stages[0].kinds");
        Delete("""{"type":"deleteManifest","account":"k","manifestName":"deployment x","options":{"cascading":"sometimes"}}""")
            .ShouldHaveSingleItem().Location.ShouldBe("stages[0].options.cascading");
        Delete("""{"type":"deleteManifest","account":"k","manifestName":"deployment x","options":{"cascading":true}}""").ShouldBeEmpty();
    }
}
