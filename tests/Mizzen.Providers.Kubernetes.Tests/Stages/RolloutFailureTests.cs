using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using static Mizzen.Providers.Kubernetes.Tests.Infrastructure.KubernetesPipelineHarness;
using static Mizzen.Providers.Kubernetes.Tests.Stages.DeployManifestTests;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

public sealed class RolloutFailureTests : IAsyncLifetime
{
    private KubernetesPipelineHarness harness = null!;

    public async Task InitializeAsync() => harness = await KubernetesPipelineHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    private static string ShortTimeout(string image)
    {
        var stage = DeployStage(WebManifests(image: image));
        stage["stageTimeoutMs"] = 120_000;
        return Pipeline(stage);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_fails_the_stage_naming_the_container_and_reason()
    {
        harness.Server.Controller.FailImagePull("registry.local/shop/web:missing");

        var run = await harness.RunAsync(ShortTimeout("registry.local/shop/web:missing"));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var error = Errors(Stage(run, "Deploy"));
        error.ShouldContain("did not become stable in time");
        error.ShouldContain("deployment web in prod");
        error.ShouldContain("container web: ImagePullBackOff");
    }

    [Fact]
    public async Task A_crash_looping_container_fails_the_stage_with_its_exit_code()
    {
        harness.Server.Controller.CrashLoop("registry.local/shop/web:crash", exitCode: 3);

        var run = await harness.RunAsync(ShortTimeout("registry.local/shop/web:crash"));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var error = Errors(Stage(run, "Deploy"));
        error.ShouldContain("container web: CrashLoopBackOff");
        error.ShouldContain("last exit code 3");
    }

    [Fact]
    public async Task A_deployment_past_its_progress_deadline_fails_at_once()
    {
        harness.Server.Controller.StallProgress("web");

        var run = await harness.RunAsync(Pipeline(DeployStage(WebManifests())));

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var stage = Stage(run, "Deploy");
        Errors(stage).ShouldContain("deployment web in prod failed: Deployment exceeded its progress deadline");
        stage.Tasks.Single(t => t.Name == "waitForManifestToStabilize").Status.ShouldBe(ExecutionStatus.Terminal);
    }

    [Fact]
    public async Task While_it_waits_the_stage_says_what_it_waits_for()
    {
        harness.Server.Controller.FailImagePull("registry.local/shop/web:slow");
        var stage = DeployStage(WebManifests(image: "registry.local/shop/web:slow"));
        stage["stageTimeoutMs"] = 30_000;

        var run = await harness.RunAsync(Pipeline(stage));

        var messages = Stage(run, "Deploy").Context["stableMessages"]!.AsArray().Select(m => m!.ToString()).ToList();
        messages.ShouldContain(m => m.StartsWith("deployment web in prod: Waiting for all replicas to be", StringComparison.Ordinal) && m.Contains("ImagePullBackOff"));
    }
}
