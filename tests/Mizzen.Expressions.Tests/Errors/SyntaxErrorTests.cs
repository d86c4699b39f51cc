namespace Mizzen.Expressions.Tests.Errors;

public sealed class SyntaxErrorTests : IDisposable
{
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    [Theory]
    [InlineData("${ a + }", 8)]
    [InlineData("prefix ${ a.b( }", 16)]
    [InlineData("${'unterminated}", 3)]
    [InlineData("x ${ a ${b} }", 8)]
    [InlineData("${a} and ${ 1 +* 2 }", 16)]
    [InlineData("${ }", 1)]
    [InlineData("${ a.", 1)]
    public void Syntax_error_reports_the_column_inside_the_text(string text, int column)
    {
        var errors = evaluator.CheckSyntax(text);

        errors.Count.ShouldBe(1);
        errors[0].Column.ShouldBe(column, errors[0].ToString());
    }

    [Theory]
    [InlineData("${{1,2}.contains(1)}")]
    [InlineData("${ {a: 1} }")]
    [InlineData("${ {'a': {'b': [1]}}['a'] }")]
    [InlineData("plain text")]
    [InlineData("${#stage('Deploy').context['deploy.server.groups']}")]
    [InlineData("${ execution.stages.?[type == 'deploy'].![name] }")]
    [InlineData("${ T(java.time.LocalDate).now().plusDays(5).toString() }")]
    [InlineData("${ #f(a, ) }")]
    public void Valid_expressions_have_no_syntax_errors(string text) =>
        evaluator.CheckSyntax(text).ShouldBeEmpty();

    [Fact]
    public void Syntax_error_leaves_the_text_and_reports_an_error_in_the_summary()
    {
        var result = evaluator.Process(System.Text.Json.Nodes.JsonValue.Create("${ a + }"), new Core.Expressions.ExpressionScope(Root: []));

        result.Value!.GetValue<string>().ShouldBe("${ a + }");
        result.Summary.Failures.Single().Value.Single().ExceptionType.ShouldBe(ExpressionException.SpelParse);
    }

    public void Dispose() => evaluator.Dispose();
}
