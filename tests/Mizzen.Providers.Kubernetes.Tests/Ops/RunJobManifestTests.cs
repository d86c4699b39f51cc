using System.Text.Json.Nodes;
using Mizzen.Core.Model;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;

namespace Mizzen.Providers.Kubernetes.Tests.Ops;

/// <summary>runJobManifest through the engine: a Job created in the fake API server, its pod's log read back for outputs.</summary>
public sealed class RunJobManifestTests : IAsyncLifetime
{
    private const string Pipeline = """
        {"stages":[{"refId":"1","type":"runJobManifest","name":"migrate","account":"k8s","cloudProvider":"kubernetes","application":"app",
           "consumeArtifactSource":"propertyFile","propertyFile":"migrate",
           "manifest":{"apiVersion":"batch/v1","kind":"Job","metadata":{"generateName":"migrate-","namespace":"default"},
             "spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never",
               "containers":[{"name":"migrate","image":"registry.example.com/migrate:1.0","command":["./migrate"]}]}}}}}]}
        """;

    private KubernetesPipelineHarness engine = null!;

    public async Task InitializeAsync() => engine = await KubernetesPipelineHarness.StartAsync(accountName: "k8s", application: "app");

    public async Task DisposeAsync() => await engine.DisposeAsync();

    [Fact]
    public async Task A_job_that_succeeds_outputs_its_log_exit_code_and_spinnaker_properties()
    {
        engine.Server.Controller.CompleteJobs(succeed: true, logs: "migrating\nSPINNAKER_PROPERTY_SCHEMA_VERSION=42\nSPINNAKER_CONFIG_JSON={\"tables\":3,\"ok\":true}\ndone\n");

        var run = await engine.RunAsync(Pipeline);

        run.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(run));
        var outputs = run.Stages[0].Outputs;
        outputs["schema_version"]!.GetValue<string>().ShouldBe("42");
        outputs["tables"]!.GetValue<long>().ShouldBe(3);
        outputs["propertyFileContents"]!["ok"]!.GetValue<bool>().ShouldBeTrue();
        outputs["logs"]!.GetValue<string>().ShouldContain("migrating");
        outputs["jobStatus"]!["status"]!.GetValue<string>().ShouldBe("SUCCEEDED");
        outputs["jobStatus"]!["exitCode"]!.GetValue<long>().ShouldBe(0);

        var jobName = outputs["jobName"]!.GetValue<string>();
        jobName.ShouldStartWith("migrate-");
        jobName.Length.ShouldBe("migrate-".Length + 5);
        var job = engine.Server.Get("batch/v1", "Job", "default", jobName)!;
        job["metadata"]!["annotations"]!["moniker.spinnaker.io/application"]!.GetValue<string>().ShouldBe("app");
        engine.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "jobs").ShouldBe(1);
    }

    [Fact]
    public async Task A_failed_job_fails_the_stage_with_the_jobs_message_and_the_containers_exit_code()
    {
        engine.Server.Controller.CompleteJobs(succeed: false, logs: "error: relation exists\n");

        var run = await engine.RunAsync(Pipeline);

        run.Status.ShouldBe(ExecutionStatus.Terminal);
        var error = ManifestOperationTests.Describe(run);
        error.ShouldContain("failed: Job has reached the specified backoff limit; container migrate exited with code 1");
        run.Stages[0].Outputs["logs"]!.GetValue<string>().ShouldContain("relation exists");
    }

    [Fact]
    public async Task A_job_with_a_fixed_name_is_recreated_and_its_properties_can_come_from_a_config_map()
    {
        engine.Server.Controller.CompleteJobs(succeed: true, logs: "ok\n");
        await engine.SeedAsync(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"smoke-results","namespace":"default"},
             "data":{"result.properties":"# smoke test\nPASSED=12\nFAILED=0\n","summary.json":"{\"verdict\":\"pass\"}"}}
            """)!.AsObject());
        var pipeline = """
            {"stages":[{"refId":"1","type":"runJobManifest","name":"smoke","account":"k8s","application":"app",
               "consumeArtifactSource":"propertyFile","propertyFile":"configMap smoke-results",
               "manifest":{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"smoke","namespace":"default"},
                 "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"smoke","image":"registry.example.com/smoke:1"}]}}}}}]}
            """;

        var first = await engine.RunAsync(pipeline);
        var second = await engine.RunAsync(pipeline);

        first.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(first));
        second.Status.ShouldBe(ExecutionStatus.Succeeded, ManifestOperationTests.Describe(second));
        second.Stages[0].Outputs["PASSED"]!.GetValue<string>().ShouldBe("12");
        second.Stages[0].Outputs["verdict"]!.GetValue<string>().ShouldBe("pass");
        engine.Server.Requests.Count(r => r.Verb == "delete" && r.Resource == "jobs" && r.Name == "smoke").ShouldBe(1);
        engine.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "jobs").ShouldBe(2);
    }
}
