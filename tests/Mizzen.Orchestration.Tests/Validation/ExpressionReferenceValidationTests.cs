using Mizzen.Core.Errors;
using Mizzen.Orchestration.Stages;
using Mizzen.Orchestration.Validation;

namespace Mizzen.Orchestration.Tests.Validation;

/// <summary>What expressions refer to is checked before a run: unknown functions are errors, unknown parameters and misspelt trigger fields warnings.</summary>
public class ExpressionReferenceValidationTests
{
    private static IReadOnlyList<ValidationProblem> Check(string waitTime, string parameters = """[{"name":"env"},{"name":"delay"}]""") =>
        PipelineValidator.ValidateOffline($$"""
            {"application":"a","name":"p","parameterConfig":{{parameters}},"stages":[{"refId":"1","type":"wait","waitTime":"{{waitTime}}"}]}
            """, s => s.AddServerGroupStages());

    [Fact]
    public void An_unknown_function_is_an_error_with_the_nearest_known_names()
    {
        var problem = Check("${#stag('x').context.waitTime}").ShouldHaveSingleItem();

        problem.IsError.ShouldBeTrue();
        problem.ToString().ShouldBe("stages[0].waitTime: column 3: #stag is not a function Mizzen knows; did you mean #stage?");
    }

    [Fact]
    public void Known_functions_pass()
    {
        Check("${#toInt(#stage('x').context.waitTime) + #alphanumerical('a-b').length()}").ShouldBeEmpty();
    }

    [Fact]
    public void A_misspelt_trigger_field_is_a_warning_naming_the_nearest_field()
    {
        var problem = Check("${trigger.paramters.delay}").ShouldHaveSingleItem();

        problem.IsError.ShouldBeFalse();
        problem.ToString().ShouldBe("warning: stages[0].waitTime: column 3: the trigger has no field 'paramters'; did you mean trigger.parameters?");
    }

    [Theory]
    [InlineData("${parameters.delya}", "delya")]
    [InlineData("${trigger.parameters.delya}", "delya")]
    [InlineData("${parameters['delya']}", "delya")]
    [InlineData("${execution.trigger.parameters.delya}", "delya")]
    public void A_parameter_the_pipeline_does_not_declare_is_a_warning_with_the_nearest_declared_name(string expression, string name)
    {
        var problem = Check(expression).ShouldHaveSingleItem();

        problem.IsError.ShouldBeFalse();
        problem.Message.ShouldEndWith($"parameter '{name}' is not declared in parameterConfig; did you mean delay?");
    }

    [Fact]
    public void Declared_parameters_and_unlisted_trigger_fields_pass()
    {
        Check("${parameters.env + trigger.parameters['delay'] + trigger.buildInfo.number + trigger.myPluginField}").ShouldBeEmpty();
    }

    [Fact]
    public void Names_inside_a_selection_belong_to_the_element_not_the_root()
    {
        Check("${execution.stages.?[parameters == 'x'].size()}").ShouldBeEmpty();
    }

    [Fact]
    public void A_stage_enabled_condition_is_checked_with_columns_in_the_condition()
    {
        var problems = PipelineValidator.ValidateOffline("""
            {"application":"a","name":"p","stages":[{"refId":"1","type":"wait","waitTime":1,"stageEnabled":{"type":"expression","expression":"#stag('x') != null"}}]}
            """, s => s.AddServerGroupStages());

        problems.ShouldHaveSingleItem().ToString().ShouldStartWith("stages[0].stageEnabled.expression: column 1: #stag is not a function");
    }
}
