using Mizzen.Orchestration.Validation;
using Mizzen.Server.Tests.Infrastructure;
using Mizzen.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mizzen.Server.Tests.Compat;

/// <summary>Warnings on the server: a repeated key (the wild GKE pipeline has keepWaitingPipelines twice) and /pipelines/validate.</summary>
public sealed class ValidationWarningTests
{
    [Fact]
    public async Task A_real_pipeline_with_a_repeated_key_is_validated_with_a_warning_naming_the_key_and_line()
    {
        await using var server = await RunningServer.StartAsync();
        var text = await File.ReadAllTextAsync(CompatData.PathOf("pipelines-wild", "viglesiasce-continuous-delivery-spinnaker-gke-pipeline-deploy.json"));

        var warnings = server.Services.GetRequiredService<PipelineValidator>().Check(text).Where(p => !p.IsError).Select(p => p.ToString()).ToList();

        warnings.ShouldContain("warning: line 170, column 3: duplicate key 'keepWaitingPipelines' at keepWaitingPipelines (first on line 6): the last value is used, as Spinnaker does");
    }

    [Fact]
    public async Task The_validate_endpoint_returns_errors_and_warnings_apart()
    {
        await using var server = await RunningServer.StartAsync();
        var body = """{"application":"a","name":"p","name":"q","triggers":[{"type":"travis"}],"stages":[{"refId":"1","type":"wait","waitTime":1}]}""";

        var answer = await server.Http.PostAsync("pipelines/validate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        answer.EnsureSuccessStatusCode();
        var json = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        json["valid"]!.GetValue<bool>().ShouldBeTrue();
        json["errors"]!.AsArray().ShouldBeEmpty();
        json["warnings"]!.AsArray().Select(w => w!["message"]!.GetValue<string>()).ShouldBe([
            "duplicate key 'name' at name (first on line 1): the last value is used, as Spinnaker does",
            "trigger 'travis' is not supported yet: this pipeline can only be started by hand",
        ]);
    }

    [Fact]
    public async Task A_pipeline_saved_with_warnings_answers_with_one_warning_header_each()
    {
        await using var server = await RunningServer.StartAsync();
        (await server.Http.PostAsync("applications", Json("""{"name":"shop","email":"shop@example.com"}"""))).EnsureSuccessStatusCode();

        var answer = await server.Http.PostAsync("pipelines", Json("""
            {"application":"shop","name":"deploy","triggers":[{"type":"travis","master":"ci","job":"build"}],
             "notifications":[{"type":"pagerduty","address":"#ops – releases"}],"stages":[{"refId":"1","type":"wait","waitTime":1}]}
            """));

        answer.EnsureSuccessStatusCode();
        answer.Headers.GetValues("Warning").ShouldBe([
            "199 mizzen \"warning: triggers[0]: trigger 'travis' is not supported yet: this pipeline can only be started by hand\"",
            "199 mizzen \"warning: notifications[0]: notification 'pagerduty' to '#ops ? releases' for the pipeline is not supported yet: nothing will be sent\"",
        ]);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
