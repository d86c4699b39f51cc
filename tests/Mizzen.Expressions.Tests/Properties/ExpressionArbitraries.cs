using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Mizzen.Expressions.Tests.Compat;

namespace Mizzen.Expressions.Tests.Properties;

/// <summary>An expression-like string: <c>${</c>, 1 to 11 atoms and operators, and (three times in four) the closing brace.</summary>
public sealed record TokenExpression(string[] Tokens, bool Closed)
{
    public string Text => "${" + string.Concat(Tokens) + (Closed ? "}" : "");

    public override string ToString() => Text;
}

/// <summary>One edit of a compat expression: delete, insert or replace one character at <see cref="At"/> (modulo the length).</summary>
public sealed record Mutation(int Kind, int At, char Char);

/// <summary>A compat expression (by index into <see cref="ExpressionArbitraries.CompatInputs"/>) with 1 to 3 edits applied in order.</summary>
public sealed record MutatedExpression(int Source, Mutation[] Mutations)
{
    public string Text
    {
        get
        {
            var text = new StringBuilder(ExpressionArbitraries.CompatInputs[Source]);
            foreach (var mutation in Mutations)
            {
                if (text.Length == 0)
                {
                    break;
                }

                var at = mutation.At % text.Length;
                switch (mutation.Kind)
                {
                    case 0:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text.Insert(at, mutation.Char);
                        break;
                    default:
                        text[at] = mutation.Char;
                        break;
                }
            }

            return text.ToString();
        }
    }

    public override string ToString() => Text;
}

/// <summary>
/// FsCheck generators for the expression properties. Both shrink towards the smallest failing input: fewer tokens (and an
/// unclosed brace), fewer edits.
/// </summary>
public static class ExpressionArbitraries
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

    private const string Alphabet = "${}[]()'\".,?:!#^$ abcxyz0129+-*/<>=&|";

    /// <summary>The <c>input</c> of every case in the compat expression file.</summary>
    public static IReadOnlyList<string> CompatInputs { get; } = ((JsonArray)CompatFile.Root["cases"]!).OfType<JsonObject>()
        .Select(c => c["input"]).OfType<JsonValue>().Select(v => v.GetValue<string>()).ToList();

    public static Arbitrary<TokenExpression> TokenExpressions()
    {
        var token = Gen.Frequency((2, Gen.Elements(Atoms)), (1, Gen.Elements(Operators)));
        var generator =
            from length in Gen.Choose(1, 11)
            from tokens in Gen.ArrayOf(token, length)
            from closed in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
            select new TokenExpression(tokens, closed);
        return Arb.From(generator, ShrinkTokens);
    }

    public static Arbitrary<MutatedExpression> MutatedExpressions()
    {
        var mutation =
            from kind in Gen.Choose(0, 2)
            from at in Gen.Choose(0, 10_000)
            from c in Gen.Elements(Alphabet.ToCharArray())
            select new Mutation(kind, at, c);
        var generator =
            from source in Gen.Choose(0, CompatInputs.Count - 1)
            from count in Gen.Choose(1, 3)
            from mutations in Gen.ArrayOf(mutation, count)
            select new MutatedExpression(source, mutations);
        return Arb.From(generator, ShrinkMutations);
    }

    private static IEnumerable<TokenExpression> ShrinkTokens(TokenExpression value)
    {
        if (value.Closed)
        {
            yield return value with { Closed = false };
        }

        for (var i = 0; i < value.Tokens.Length && value.Tokens.Length > 1; i++)
        {
            yield return value with { Tokens = [.. value.Tokens[..i], .. value.Tokens[(i + 1)..]] };
        }
    }

    private static IEnumerable<MutatedExpression> ShrinkMutations(MutatedExpression value)
    {
        for (var i = 0; i < value.Mutations.Length && value.Mutations.Length > 1; i++)
        {
            yield return value with { Mutations = [.. value.Mutations[..i], .. value.Mutations[(i + 1)..]] };
        }
    }
}
