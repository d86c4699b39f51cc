using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mizzen.Core.Model;
using Mizzen.Expressions;
using Mizzen.Orchestration.Artifacts;
using Mizzen.Providers.Local.Tests.Infrastructure;

namespace Mizzen.Providers.Local.Tests.Pipelines;

/// <summary>
/// A deploy takes its bundle from a bound artifact (expectedArtifactId / artifactId): from the run's trigger, or from another pipeline's
/// run through findArtifactFromExecution. Real engine, real SQLite store, real server groups of the demo service.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ArtifactDeployTests(DemoServiceFixture demo)
{
    private JsonObject Bundle(string version) => new()
    {
        ["type"] = "local/bundle", ["name"] = "demo", ["version"] = version, ["reference"] = demo.BundleFolder,
    };

    private JsonObject ClusterBoundTo(string account, string idField, string id, string stack = "web")
    {
        var cluster = PipelineHarness.Cluster(demo, account, "bound", stack: stack);
        cluster.Remove("artifact");
        cluster[idField] = id;
        return cluster;
    }

    [Fact]
    public async Task A_manual_run_with_an_artifact_deploys_the_bundle_bound_to_the_expected_artifact()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var pipeline = new JsonObject
        {
            ["expectedArtifacts"] = new JsonArray(new JsonObject
            {
                ["id"] = "demo-bundle", ["displayName"] = "demo bundle", ["matchArtifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "demo" },
            }),
            ["stages"] = JsonNode.Parse(PipelineHarness.DeployPipeline(ClusterBoundTo("staging", "expectedArtifactId", "demo-bundle")))!["stages"]!.DeepClone(),
        };
        var trigger = new JsonObject
        {
            ["type"] = "manual", ["expectedArtifactIds"] = new JsonArray("demo-bundle"), ["artifacts"] = new JsonArray(Bundle("v42")),
        };

        var run = await harness.RunAsync(pipeline.ToJsonString(), trigger);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, PipelineHarness.Errors(run.Stages.Last()));
        var deployed = await harness.ServerGroups.GetAsync("staging", "demo-web-v000", CancellationToken.None);
        deployed!.Artifact.Version.ShouldBe("v42");
        deployed.Artifact.Reference.ShouldBe(demo.BundleFolder);
    }

    [Fact]
    public async Task Find_artifact_from_execution_promotes_what_the_staging_pipeline_deployed()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var staging = JsonNode.Parse(PipelineHarness.DeployPipeline(PipelineHarness.Cluster(demo, "staging", "v8")))!.AsObject();
        staging["id"] = "staging-deploy";
        (await harness.RunAsync(staging.ToJsonString())).Status.ShouldBe(ExecutionStatus.Succeeded);
        var promote = new JsonObject
        {
            ["stages"] = new JsonArray(
                new JsonObject
                {
                    ["refId"] = "1", ["type"] = "findArtifactFromExecution", ["name"] = "Find", ["application"] = "demo", ["pipeline"] = "staging-deploy",
                    ["executionOptions"] = new JsonObject { ["successful"] = true },
                    ["expectedArtifacts"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "staged", ["matchArtifact"] = new JsonObject { ["type"] = "local/bundle", ["name"] = "demo" },
                    }),
                },
                new JsonObject
                {
                    ["refId"] = "2", ["requisiteStageRefIds"] = new JsonArray("1"), ["type"] = "deploy", ["name"] = "Deploy",
                    ["clusters"] = new JsonArray(ClusterBoundTo("prod", "artifactId", "staged", stack: "prod")),
                }),
        };

        var run = await harness.RunAsync(promote.ToJsonString());

        run.Status.ShouldBe(ExecutionStatus.Succeeded, PipelineHarness.Errors(run.Stages.Last()));
        var promoted = await harness.ServerGroups.GetAsync("prod", "demo-prod-v000", CancellationToken.None);
        promoted!.Artifact.Version.ShouldBe("v8");
    }

    [Fact]
    public async Task A_deploy_bound_to_an_id_nothing_resolved_fails_naming_the_id_and_deploys_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync();

        var run = await harness.RunAsync(PipelineHarness.DeployPipeline(ClusterBoundTo("staging", "expectedArtifactId", "missing-bundle")));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var errors = string.Join(" ", run.Stages.SelectMany(s => s.Context["exception"]?["details"]?["errors"] as JsonArray ?? []).Select(e => e?.GetValue<string>()));
        errors.ShouldContain("expectedArtifactId 'missing-bundle' is not bound to an artifact");
        (await harness.ServerGroups.GetAsync("staging", "demo-web-v000", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_bound_http_file_bundle_is_fetched_with_the_accounts_credentials_and_deployed()
    {
        var requests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var files = builder.Build();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:bundle-pass"));
        files.MapGet("/builds/demo-17.tar.gz", (HttpContext http) =>
        {
            Interlocked.Increment(ref requests);
            return http.Request.Headers.Authorization.ToString() == expected
                ? Results.File(demo.TarGzBundle, "application/gzip")
                : Results.StatusCode(401);
        });
        await files.StartAsync();
        var url = new Uri(files.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await using var harness = await PipelineHarness.StartAsync(services => services
            .Configure<ExpressionOptions>(o => o.Url.AllowedHosts.Add(url.Authority))
            .Configure<ArtifactOptions>(o =>
            {
                var account = new ArtifactAccountOptions { Name = "builds", Username = "ci", Password = "bundle-pass" };
                account.Types.Add("http/file");
                o.Accounts.Add(account);
            }));
        var pipeline = new JsonObject
        {
            ["expectedArtifacts"] = new JsonArray(new JsonObject
            {
                ["id"] = "build", ["matchArtifact"] = new JsonObject { ["type"] = "http/file", ["name"] = "demo" },
            }),
            ["stages"] = JsonNode.Parse(PipelineHarness.DeployPipeline(ClusterBoundTo("staging", "expectedArtifactId", "build")))!["stages"]!.DeepClone(),
        };
        var trigger = new JsonObject
        {
            ["type"] = "manual", ["expectedArtifactIds"] = new JsonArray("build"),
            ["artifacts"] = new JsonArray(new JsonObject
            {
                ["type"] = "http/file", ["name"] = "demo", ["version"] = "17", ["artifactAccount"] = "builds",
                ["reference"] = new Uri(url, "/builds/demo-17.tar.gz").AbsoluteUri,
            }),
        };

        var run = await harness.RunAsync(pipeline.ToJsonString(), trigger);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, PipelineHarness.Errors(run.Stages.Last()));
        requests.ShouldBe(1);
        var deployed = await harness.ServerGroups.GetAsync("staging", "demo-web-v000", CancellationToken.None);
        deployed!.Artifact.Type.ShouldBe("local/bundle");
        deployed.Artifact.Version.ShouldBe("17");
        deployed.Artifact.Reference.ShouldStartWith(Path.Combine(harness.Folder, "data", "artifacts", "bundles"));
        deployed.Artifact.Reference.ShouldEndWith(".tar.gz");
    }
}
