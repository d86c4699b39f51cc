using System.Text;
using System.Text.Json.Nodes;
using Mizzen.Core.Expressions;
using Mizzen.Expressions.Tests.Compat;

namespace Mizzen.Expressions.Tests.Properties;

/// <summary>
/// Seeded random inputs (FsCheck is not in the package mirror): expression-like strings and mutations of the compat
/// expressions. Whatever the input, Process/Evaluate/CheckSyntax return results; no exception escapes.
/// </summary>
public sealed class RandomExpressionTests : IDisposable
{
    private static readonly string[] Atoms =
    [
        "a", "b", "h1", "h1.h1", "testArray", "testArray[0]", "#root", "#this", "1", "0", "-1", "2.5", "1L", "'x'", "\"y\"", "true", "null",
        "{1,2}", "{a: 1}", "{:}", "{}", "#stage('x')", "#toJson(h1)", "#readJson('[1]')", "#toInt('3')", "#alphanumerical('a-b')",
        "T(Math)", "T(java.util.UUID).randomUUID()", "new Integer(1)", "execution", "parameters", "trigger", "#currentStage()",
        "replaceMe.toUpperCase()", "replaceMe.split('e')", "deployedServerGroups", "#fromBase64('eA==')", "#doNotEval(1)",
    ];

    private static readonly string[] Operators =
    [
        " + ", " - ", " * ", " / ", " % ", " ^ ", " == ", " != ", " < ", " >= ", " and ", " or ", " && ", " || ", " ?: ", " matches ",
        ".", "?.", ".?[", ".![", ".^[", ".$[", "[", "]", "(", ")", ",", " ? ", " : ", "!", "#", "{", "}", "'", "\"", "${", " eq ", " lt ", " instanceof ",
    ];

    private readonly SpelExpressionEvaluator evaluator = TestEvaluators.Create(o =>
    {
        o.MaxEvaluationSteps = 5_000;
        o.Url.Enabled = false;
    });

    private readonly ExpressionScope scope = new(Root: CompatFile.Context("basic"));

    [Fact]
    public void Random_expression_like_strings_never_crash_the_parser_or_evaluator()
    {
        var random = new Random(20261102);
        for (var i = 0; i < 4000; i++)
        {
            var builder = new StringBuilder("${");
            var length = random.Next(1, 12);
            for (var j = 0; j < length; j++)
            {
                builder.Append(random.Next(3) == 0 ? Operators[random.Next(Operators.Length)] : Atoms[random.Next(Atoms.Length)]);
            }

            if (random.Next(4) != 0)
            {
                builder.Append('}');
            }

            ShouldOnlyReturnResults(builder.ToString());
        }
    }

    [Fact]
    public void Random_mutations_of_the_compat_expressions_never_crash_the_parser_or_evaluator()
    {
        var random = new Random(314159);
        var sources = ((JsonArray)CompatFile.Root["cases"]!).OfType<JsonObject>()
            .Select(c => c["input"]).OfType<JsonValue>().Select(v => v.GetValue<string>()).ToList();
        const string Alphabet = "${}[]()'\".,?:!#^$ abcxyz0129+-*/<>=&|";
        for (var i = 0; i < 4000; i++)
        {
            var text = new StringBuilder(sources[random.Next(sources.Count)]);
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations && text.Length > 0; m++)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    default:
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                }
            }

            ShouldOnlyReturnResults(text.ToString());
        }
    }

    private void ShouldOnlyReturnResults(string text)
    {
        try
        {
            evaluator.CheckSyntax(text);
            var processed = evaluator.Process(JsonValue.Create(text), scope);
            processed.Summary.ShouldNotBeNull();
            var inner = text.StartsWith("${", StringComparison.Ordinal) ? text[2..].TrimEnd('}') : text;
            evaluator.Evaluate(inner, scope);
        }
        catch (Exception e)
        {
            throw new ShouldAssertException($"input {text} threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    public void Dispose() => evaluator.Dispose();
}
