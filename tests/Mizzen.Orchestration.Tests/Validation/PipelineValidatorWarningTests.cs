using Mizzen.Core.Errors;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Orchestration.Tests.Validation;

/// <summary>Errors (not runnable) and warnings (runnable, but something does not do what it seems to), offline.</summary>
public class PipelineValidatorWarningTests
{
    private static IReadOnlyList<ValidationProblem> Check(string json) => PipelineValidator.ValidateOffline(json, s => s.AddServerGroupStages());

    private static List<string> Errors(string json) => [.. Check(json).Where(p => p.IsError).Select(p => p.ToString())];

    private static List<string> Warnings(string json) => [.. Check(json).Where(p => !p.IsError).Select(p => p.ToString())];

    private const string Wait = """{"refId":"1","type":"wait","waitTime":5}""";

    [Fact]
    public void A_repeated_key_takes_its_last_value_with_a_warning_naming_the_key_and_its_line()
    {
        var json = "{\"application\":\"a\",\n\"name\":\"p\",\n\"stages\":[{\"refId\":\"1\",\"type\":\"wait\",\"waitTime\":5}],\n\"name\":\"q\"}";

        Errors(json).ShouldBeEmpty();
        var warning = Warnings(json).ShouldHaveSingleItem();
        warning.ShouldStartWith("warning: line 4, column 1:");
        warning.ShouldContain("duplicate key 'name'");
        warning.ShouldContain("first on line 2");
    }

    [Fact]
    public void A_repeated_key_whose_last_value_is_wrong_is_judged_by_the_last_value()
    {
        Errors("""{"application":"a","name":"p","stages":[{"refId":"1","type":"wait","waitTime":5,"type":"nope"}]}""")
            .ShouldContain(p => p.StartsWith("stages[0].type:") && p.Contains("'nope'"));
    }

    [Fact]
    public void Broken_json_is_one_problem_with_a_1_based_position_the_line_and_a_caret()
    {
        var problem = Check("{\n  \"application\": \"a\",\n  \"stages\": [1,,2]\n}").ShouldHaveSingleItem();

        problem.IsError.ShouldBeTrue();
        problem.Location.ShouldBe("line 3, column 16");
        problem.Message.ShouldContain("  3 |   \"stages\": [1,,2]");
        problem.Message.ShouldEndWith("|" + new string(' ', 16) + "^");
        problem.Message.ShouldNotContain("LineNumber");
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gce")]
    public void Offline_a_stage_on_a_cloud_provider_mizzen_lacks_is_an_error(string provider)
    {
        Errors($$"""{"application":"a","name":"p","stages":[{"refId":"1","type":"deploy","clusters":[{"cloudProvider":"{{provider}}","account":"prod","application":"a"}]}]}""")
            .ShouldContain($"stages[0].clusters[0].cloudProvider: cloud provider '{provider}' is not available in Mizzen (available: local, kubernetes)");
    }

    [Theory]
    [InlineData("local")]
    [InlineData("kubernetes")]
    public void Offline_the_providers_mizzen_ships_are_accepted(string provider)
    {
        Errors($$$"""{"application":"a","name":"p","stages":[{"refId":"1","type":"resizeServerGroup","cloudProvider":"{{{provider}}}","account":"prod","cluster":"a-web","capacity":{"min":1,"max":1,"desired":1}}]}""")
            .ShouldNotContain(p => p.Contains("cloud provider"));
    }

    [Fact]
    public void Each_trigger_but_a_manual_one_is_a_warning_naming_its_type()
    {
        var json = $$"""
            {"application":"a","name":"p","stages":[{{Wait}}],"triggers":[
              {"type":"manual"},{"type":"docker","enabled":true,"repository":"r"},{"type":"jenkins","enabled":false}]}
            """;

        Errors(json).ShouldBeEmpty();
        Warnings(json).ShouldBe([
            "warning: triggers[1]: trigger 'docker' is not supported yet: this pipeline can only be started by hand",
            "warning: triggers[2]: trigger 'jenkins' is disabled (and not supported yet)",
        ]);
    }

    [Fact]
    public void Pipeline_and_stage_notifications_are_warnings_naming_type_and_where()
    {
        var json = """
            {"application":"a","name":"p","notifications":[{"type":"email","address":"ops@example.com","when":["pipeline.failed"]}],
             "stages":[{"refId":"1","type":"wait","waitTime":5,"name":"Soak","sendNotifications":true,"notifications":[{"type":"slack","address":"#ops"}]}]}
            """;

        Errors(json).ShouldBeEmpty();
        var warnings = Warnings(json);
        warnings.ShouldContain(w => w.StartsWith("warning: notifications[0]: notification 'email' to 'ops@example.com' on pipeline.failed for the pipeline"));
        warnings.ShouldContain(w => w.StartsWith("warning: stages[0].notifications[0]: notification 'slack' to '#ops' for stage 'Soak'"));
    }

    [Fact]
    public void A_v2_template_reference_is_not_runnable_and_says_what_it_is()
    {
        var error = Errors("""
            {"schema":"v2","application":"a","name":"p","template":{"artifactAccount":"front50ArtifactCredentials","reference":"spinnaker://base","type":"front50/pipelineTemplate"},"variables":{}}
            """).ShouldHaveSingleItem();

        error.ShouldStartWith("template: this pipeline is a reference to a managed pipeline template v2 (template 'spinnaker://base'");
        error.ShouldContain("templated pipelines are not supported yet");
    }

    [Fact]
    public void A_v1_template_config_is_not_runnable()
    {
        Errors("""
            {"application":"a","name":"p","type":"templatedPipeline","config":{"schema":"1","pipeline":{"application":"a","name":"p","template":{"source":"spinnaker://v1base"}}}}
            """).ShouldHaveSingleItem().ShouldContain("managed pipeline template v1 (template 'spinnaker://v1base')");
    }

    [Fact]
    public void A_pipeline_rendered_from_a_template_is_an_ordinary_pipeline()
    {
        Errors($$"""{"application":"a","name":"p","source":{"type":"templatedPipeline","id":"x"},"stages":[{{Wait}}]}""").ShouldBeEmpty();
    }

    [Fact]
    public void A_run_job_manifest_with_a_run_job_alias_is_judged_by_its_type()
    {
        var error = Errors("""{"application":"a","name":"p","stages":[{"refId":"1","type":"runJobManifest","alias":"runJob","account":"k8s","name":"Migrate"}]}""")
            .ShouldHaveSingleItem();

        error.ShouldBe("stages[0].type: stage 'Migrate' has type 'runJobManifest', which Mizzen cannot run yet");
    }

    [Fact]
    public void A_pipeline_without_stages_is_saved_with_a_warning_that_it_does_nothing()
    {
        Errors("""{"application":"a","name":"p","stages":[]}""").ShouldBeEmpty();
        Warnings("""{"application":"a","name":"p"}""").ShouldBe(["warning: stages: the pipeline has no stages: starting it does nothing"]);
    }

    [Fact]
    public void A_manifest_artifact_id_that_matches_no_expected_artifact_is_an_error()
    {
        var json = """
            {"application":"a","name":"p","expectedArtifacts":[{"id":"art-b87g","displayName":"manifest"}],
             "stages":[{"refId":"1","type":"wait","waitTime":1,"source":"artifact","manifestArtifactId":"art-b87f","requiredArtifactIds":["art-b87g"]}]}
            """;

        Errors(json).ShouldBe(["stages[0].manifestArtifactId: artifact id 'art-b87f' matches no expected artifact, so it cannot be resolved at run time (expected artifacts: art-b87g (manifest))"]);
    }

    [Fact]
    public void A_list_of_pipelines_and_a_dinghyfile_are_checked_pipeline_by_pipeline()
    {
        var validator = new PipelineValidator(new StageCatalog([]), new Mizzen.Expressions.SpelExpressionEvaluator(new(), TimeProvider.System));

        validator.CheckFile($$"""[{"application":"a","name":"p","stages":[]},{"application":"a","stages":[]}]""")
            .Where(p => p.IsError).Select(p => p.ToString()).ShouldBe(["[1].name: required: the pipeline's name"]);
        validator.CheckFile($$"""{"application":"a","pipelines":[{"name":"p","stages":[]}]}""")
            .Where(p => p.IsError).ShouldBeEmpty();
    }
}
