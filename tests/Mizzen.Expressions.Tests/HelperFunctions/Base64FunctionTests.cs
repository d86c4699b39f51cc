using Mizzen.Core.Expressions;

namespace Mizzen.Expressions.Tests.HelperFunctions;

/// <summary>kork's <c>#toBase64</c> / <c>#fromBase64</c>: standard Base64 over UTF-8.</summary>
public sealed class Base64FunctionTests : IDisposable
{
    private static readonly ExpressionScope Empty = new(Root: []);
    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create();

    [Theory]
    [InlineData("Yo Dawg", "WW8gRGF3Zw==")]
    [InlineData("user:pass", "dXNlcjpwYXNz")]
    [InlineData("", "")]
    [InlineData("grüße ✓", "Z3LDvMOfZSDinJM=")]
    [InlineData("??>", "Pz8+")]
    public void ToBase64_and_FromBase64_use_standard_base64_over_utf8(string text, string encoded)
    {
        evaluator.Evaluate($"#toBase64('{text}')", Empty).Value!.GetValue<string>().ShouldBe(encoded);
        evaluator.Evaluate($"#fromBase64('{encoded}')", Empty).Value!.GetValue<string>().ShouldBe(text);
    }

    [Fact]
    public void FromBase64_of_text_that_is_not_base64_fails_with_a_clear_message()
    {
        var result = evaluator.Process(System.Text.Json.Nodes.JsonValue.Create("${#fromBase64('not base64!')}"), Empty);

        var failure = result.Summary.Failures.Values.SelectMany(f => f).ShouldHaveSingleItem();
        failure.ExceptionType.ShouldBe(ExpressionException.HelperFunction);
        failure.Description.ShouldContain("#fromBase64: the text is not valid base64");
    }

    [Fact]
    public void ToBase64_of_null_names_the_null_argument()
    {
        evaluator.Evaluate("#toBase64(null)", Empty).Error.ShouldNotBeNull().ShouldContain("#toBase64(text): argument 1 is null");
    }

    public void Dispose() => evaluator.Dispose();
}
