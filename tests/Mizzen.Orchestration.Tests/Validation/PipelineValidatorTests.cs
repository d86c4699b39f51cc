using Microsoft.Extensions.DependencyInjection;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Orchestration.Tests.Validation;

public class PipelineValidatorTests
{
    private static List<string> Problems(string json) =>
        PipelineValidator.ValidateOffline(json, s => s.AddServerGroupStages()).Select(p => p.ToString()).ToList();

    [Fact]
    public void Offline_validation_registers_no_store_and_still_checks_a_pipeline_stage()
    {
        IServiceCollection? registered = null;

        var problems = PipelineValidator.ValidateOffline(
            """{"application":"a","name":"p","stages":[{"refId":"1","type":"pipeline","application":"a"}]}""",
            s => registered = s);

        registered.ShouldNotBeNull().Select(d => d.ServiceType.Namespace ?? string.Empty)
            .Where(n => n.StartsWith("Mizzen.Persistence", StringComparison.Ordinal)).ShouldBeEmpty();
        problems.Select(p => p.ToString()).ShouldContain("stages[0].pipeline: required for a 'pipeline' stage");
    }

    [Fact]
    public void A_cycle_is_reported_with_the_stages_in_it()
    {
        var problems = Problems("""
            {"application":"a","name":"p","stages":[
              {"refId":"1","requisiteStageRefIds":["3"],"type":"wait","waitTime":1},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"wait","waitTime":1},
              {"refId":"3","requisiteStageRefIds":["2"],"type":"wait","waitTime":1}]}
            """);
        problems.ShouldContain(p => p.Contains("cycle") && p.Contains("1 -> 3 -> 2 -> 1"));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems("""
            {"stages":[{"refId":"1","type":"wait"},{"type":"pipeline","name":"child"},{"refId":"1","type":"nope"}]}
            """);
        problems.ShouldContain(p => p.StartsWith("application:"));
        problems.ShouldContain(p => p.StartsWith("name:"));
        problems.ShouldContain(p => p.StartsWith("stages[0].waitTime:"));
        problems.ShouldContain(p => p.StartsWith("stages[1].refId:"));
        problems.ShouldContain(p => p.StartsWith("stages[1].application:") || p.StartsWith("stages[1].pipeline:"));
        problems.ShouldContain(p => p.StartsWith("stages[2].refId:") && p.Contains("duplicate"));
        problems.ShouldContain(p => p.StartsWith("stages[2].type:") && p.Contains("'nope'"));
    }

    [Fact]
    public void Json_errors_name_the_line_and_column()
    {
        var problem = Problems("{\n  \"application\": \"a\",\n  \"stages\": [,]\n}").Single();
        problem.ShouldStartWith("line 3, column");
    }

    [Fact]
    public void An_expression_syntax_error_names_the_field_and_the_column()
    {
        var problems = Problems("""{"application":"a","name":"p","stages":[{"refId":"1","type":"wait","waitTime":"${ 1 + }"}]}""");
        problems.ShouldContain(p => p.StartsWith("stages[0].waitTime:") && p.Contains("column"));
    }

    [Fact]
    public void A_load_balancer_stage_needs_the_load_balancers_name_not_its_own_display_name()
    {
        Problems("""{"application":"a","name":"p","stages":[{"refId":"1","type":"upsertLoadBalancer","name":"Create LB","account":"local"}]}""")
            .ShouldContain(p => p.StartsWith("stages[0].loadBalancerName:"));
        Problems("""{"application":"a","name":"p","stages":[{"refId":"1","type":"upsertLoadBalancer","name":"Create LB","account":"local","loadBalancerName":"web"}]}""")
            .ShouldBeEmpty();
    }

    [Fact]
    public void A_valid_pipeline_has_no_problems()
    {
        Problems("""
            {"application":"a","name":"p","parameterConfig":[{"name":"delay"},{"name":"gate"}],"stages":[
              {"refId":"1","type":"wait","waitTime":"${parameters.delay}"},
              {"refId":"2","requisiteStageRefIds":["1"],"type":"manualJudgment","stageEnabled":{"type":"expression","expression":"parameters.gate == 'yes'"}}]}
            """).ShouldBeEmpty();
    }
}
