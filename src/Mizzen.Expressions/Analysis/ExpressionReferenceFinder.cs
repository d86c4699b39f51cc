using Mizzen.Expressions.Parsing;

namespace Mizzen.Expressions.Analysis;

/// <summary>
/// Finds the references of <see cref="ExpressionReferences"/> in a template by walking the tokens of each <c>${ }</c>
/// part that parses. Names inside a selection or projection (<c>stages.?[name == 'x']</c>) belong to the element, not
/// the root, and are not paths. Text that does not parse gives nothing here: its syntax error is reported elsewhere.
/// </summary>
public static class ExpressionReferenceFinder
{
    private static readonly ExpressionOptions Options = new();

    /// <summary>References in <paramref name="template"/> (text with <c>${ }</c> parts); offsets are in the whole text.</summary>
    public static ExpressionReferences InTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Contains("${", StringComparison.Ordinal))
        {
            return ExpressionReferences.None;
        }

        var parsed = TemplateParser.Parse(template, Options);
        if (parsed.Error is not null)
        {
            return ExpressionReferences.None;
        }

        var functions = new List<FunctionReference>();
        var paths = new List<PropertyPath>();
        foreach (var part in parsed.Parts.Where(p => p.Node is not null))
        {
            Walk(part.Text, part.Offset, functions, paths);
        }

        return new ExpressionReferences(functions, paths);
    }

    private static void Walk(string body, int offset, List<FunctionReference> functions, List<PropertyPath> paths)
    {
        List<Token> tokens;
        try
        {
            tokens = Tokenizer.Tokenize(body);
        }
        catch (ExpressionSyntaxException)
        {
            return;
        }

        // What each open '[' is: a selection/projection (true) or an index (false).
        var brackets = new Stack<bool>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.Select or TokenKind.SelectFirst or TokenKind.SelectLast or TokenKind.Project:
                    brackets.Push(true);
                    break;
                case TokenKind.LSquare:
                    brackets.Push(false);
                    break;
                case TokenKind.RSquare when brackets.Count > 0:
                    brackets.Pop();
                    break;
                case TokenKind.Hash when At(tokens, i + 1, TokenKind.Identifier) && At(tokens, i + 2, TokenKind.LParen):
                    functions.Add(new FunctionReference(tokens[i + 1].Text, offset + token.Position));
                    i++;
                    break;
                case TokenKind.Identifier when !brackets.Contains(true) && StartsPath(tokens, i):
                    i = ReadPath(tokens, i, offset, paths);
                    break;
            }
        }
    }

    /// <summary>A name that is not after a dot, a '#' or '@', and not a call (<c>name(</c>) or a type (<c>T(</c>).</summary>
    private static bool StartsPath(List<Token> tokens, int i)
    {
        if (i > 0 && tokens[i - 1].Kind is TokenKind.Dot or TokenKind.SafeNavigation or TokenKind.Hash or TokenKind.At)
        {
            return false;
        }

        // A type name: T(java.lang.Math), new java.util.UUID(...).
        if ((i > 1 && tokens[i - 1].Kind == TokenKind.LParen && tokens[i - 2].IsIdentifier("T")) || (i > 0 && tokens[i - 1].IsIdentifier("new")))
        {
            return false;
        }

        return !At(tokens, i + 1, TokenKind.LParen) && !At(tokens, i + 1, TokenKind.Colon) && tokens[i].Text is not ("true" or "false" or "null" or "new" or "and" or "or" or "instanceof" or "matches" or "between");
    }

    private static int ReadPath(List<Token> tokens, int i, int offset, List<PropertyPath> paths)
    {
        var segments = new List<string> { tokens[i].Text };
        var start = tokens[i].Position;
        var last = i;
        while (true)
        {
            if (At(tokens, last + 1, TokenKind.Dot, TokenKind.SafeNavigation) && At(tokens, last + 2, TokenKind.Identifier) && !At(tokens, last + 3, TokenKind.LParen))
            {
                segments.Add(tokens[last + 2].Text);
                last += 2;
            }
            else if (At(tokens, last + 1, TokenKind.LSquare) && At(tokens, last + 2, TokenKind.String) && At(tokens, last + 3, TokenKind.RSquare))
            {
                segments.Add(tokens[last + 2].Text);
                last += 3;
            }
            else
            {
                break;
            }
        }

        paths.Add(new PropertyPath(segments, offset + start));
        return last;
    }

    private static bool At(List<Token> tokens, int i, params TokenKind[] kinds) => i < tokens.Count && kinds.Contains(tokens[i].Kind);
}
