using Mizzen.Expressions.Analysis;

namespace Mizzen.Expressions.Tests.Analysis;

public class ExpressionReferenceFinderTests
{
    [Fact]
    public void Function_calls_are_found_with_their_offset_in_the_whole_text()
    {
        var references = ExpressionReferenceFinder.InTemplate("image: ${#stage('Bake').context.image} at ${#toInt(parameters.n)}");

        references.Functions.ShouldBe([new FunctionReference("stage", 9), new FunctionReference("toInt", 44)]);
    }

    [Fact]
    public void Root_paths_follow_dots_safe_navigation_and_quoted_keys_and_stop_at_a_call()
    {
        var references = ExpressionReferenceFinder.InTemplate("${trigger?.parameters['env'].toUpperCase() + execution.trigger.tag}");

        references.Paths.Select(p => p.ToString()).ShouldBe(["trigger.parameters.env", "execution.trigger.tag"]);
    }

    [Fact]
    public void Variables_literals_types_and_names_inside_a_selection_are_not_root_paths()
    {
        var references = ExpressionReferenceFinder.InTemplate("${#root.stages.?[name == 'x'].![id] != null and T(java.lang.Math).max(1, 2) > 0 ? true : false}");

        references.Paths.Select(p => p.ToString()).ShouldBeEmpty();
        references.Functions.ShouldBeEmpty();
    }

    [Fact]
    public void Text_that_does_not_parse_has_no_references()
    {
        ExpressionReferenceFinder.InTemplate("${#stag('x') +}").ShouldBe(ExpressionReferences.None);
        ExpressionReferenceFinder.InTemplate("no expression here").ShouldBe(ExpressionReferences.None);
    }
}
