using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Orchestration.Stages;
using Mizzen.Providers.Kubernetes.Stages.BakeManifest;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>bakeManifest with KUSTOMIZE from a real git repository (git CLI, file:// under an artifact account) through kubectl, then deployManifest of the result.</summary>
public sealed class BakeManifestTests : IAsyncLifetime
{
    private readonly DirectoryInfo repos = Directory.CreateTempSubdirectory("mizzen-bake-repos-");
    private KubernetesPipelineHarness engine = null!;

    public async Task InitializeAsync() => engine = await KubernetesPipelineHarness.StartAsync(accountName: "k8s", application: "app", configure: services =>
    {
        services.Configure<ArtifactOptions>(o => o.Accounts.Add(new ArtifactAccountOptions { Name = "repos", Types = { "git/repo" }, BaseUrl = "file://" + repos.FullName }));
        services.Configure<Bake.KustomizeOptions>(o => o.KubectlPath = KustomizeFixture.Kubectl);
    });

    public async Task DisposeAsync()
    {
        await engine.DisposeAsync();
        GitRepositories.Delete(repos);
    }

    [Fact]
    public async Task A_kustomization_in_a_git_repo_is_baked_to_a_base64_artifact_that_deploy_manifest_deploys()
    {
        var repo = Path.Combine(repos.FullName, "web-config");
        Directory.CreateDirectory(repo);
        KustomizeFixture.Write(repo);
        GitRepositories.CommitAll(repo, "kustomization");

        var run = await engine.RunAsync($$$"""
            {"expectedArtifacts":[],
             "stages":[
              {"refId":"1","type":"bakeManifest","name":"bake","templateRenderer":"KUSTOMIZE","outputName":"web",
               "inputArtifact":{"account":"repos","artifact":{"type":"git/repo","reference":"file://{{{repo}}}","version":"main"}},
               "kustomizeFilePath":"overlays/prod/kustomization.yaml",
               "expectedArtifacts":[{"id":"baked","matchArtifact":{"type":"embedded/base64","name":"web"}}]},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"deployManifest","name":"deploy","account":"k8s","cloudProvider":"kubernetes",
               "moniker":{"app":"app"},"source":"artifact","manifestArtifactId":"baked","skipExpressionEvaluation":true}
            ]}
            """);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(run));
        var artifact = run.Stages[0].Outputs["artifacts"]![0]!;
        artifact["type"]!.GetValue<string>().ShouldBe("embedded/base64");
        Encoding.UTF8.GetString(Convert.FromBase64String(artifact["reference"]!.GetValue<string>())).ShouldContain("name: prod-web");
        var deployment = engine.Server.Get("apps/v1", "Deployment", "default", "prod-web")!;
        deployment["spec"]!["replicas"]!.GetValue<long>().ShouldBe(3);
        engine.Server.Get("v1", "Service", "default", "prod-web").ShouldNotBeNull();
    }

    [Fact]
    public void Helm_is_a_validation_problem_naming_the_setting_until_a_binary_is_configured()
    {
        var stage = engine.Services.GetServices<IStageDefinition>().OfType<BakeManifestStage>().Single();

        var problems = stage.Validate(System.Text.Json.Nodes.JsonNode.Parse("""
            {"type":"bakeManifest","templateRenderer":"HELM3","inputArtifacts":[{"id":"chart"}],"outputName":"web"}
            """)!.AsObject(), "stages[0]").ToList();

        problems.Single().Location.ShouldBe("stages[0].templateRenderer");
        problems.Single().IsError.ShouldBeTrue("the server refuses a HELM bake while no helm is configured; only offline validation warns");
        problems.Single().Message.ShouldContain("Mizzen:Kubernetes:Helm:Path");
    }
}
