using System.Globalization;
using Mizzen.Expressions.Ast;

namespace Mizzen.Expressions.Parsing;

/// <summary>Start nodes (literals, names, functions, types, inline collections) and the steps that follow them.</summary>
internal sealed partial class ExpressionParser
{
    private ExpressionNode ParsePrimary()
    {
        var chainStart = Current.Position;
        var steps = new List<StepNode>();
        var start = ParseStartNode(steps);
        while (true)
        {
            var token = Current;
            if (token.Kind is TokenKind.Dot or TokenKind.SafeNavigation)
            {
                Advance();
                steps.Add(ParseDottedStep(token.Kind == TokenKind.SafeNavigation, PathBefore(chainStart, token.Position)));
            }
            else if (token.Kind == TokenKind.LSquare)
            {
                Advance();
                var indexExpression = ParseExpression();
                Expect(TokenKind.RSquare, "']' to close the indexer");
                steps.Add(new IndexStep(token.Position, indexExpression, nullSafe: false));
            }
            else
            {
                break;
            }
        }

        return steps.Count == 0 ? start : new ChainNode(chainStart, start, steps);
    }

    private string PathBefore(int chainStart, int position) => text[chainStart..position].Trim();

    private ExpressionNode ParseStartNode(List<StepNode> steps)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Int or TokenKind.Long or TokenKind.Real or TokenKind.Float:
                Advance();
                return new LiteralNode(token.Position, ParseNumber(token));
            case TokenKind.String:
                Advance();
                return new LiteralNode(token.Position, token.Text);
            case TokenKind.LParen:
                Advance();
                var inner = ParseExpression();
                Expect(TokenKind.RParen, "')'");
                return inner;
            case TokenKind.LCurly:
                return ParseInlineCollection();
            case TokenKind.Hash:
                return ParseFunctionOrVariable();
            case TokenKind.At:
                throw new ExpressionSyntaxException("bean references (@name) are not available in pipeline expressions", token.Position);
            case TokenKind.LSquare or TokenKind.Select or TokenKind.SelectFirst or TokenKind.SelectLast or TokenKind.Project:
                steps.Add(ParseBracketStep(nullSafe: false));
                return new ActiveContextNode(token.Position);
            case TokenKind.Identifier:
                return ParseNameStart(token, steps);
            case TokenKind.End:
                throw new ExpressionSyntaxException("expression ends where a value was expected", token.Position);
            default:
                throw new ExpressionSyntaxException($"unexpected '{token.Text}' where a value was expected", token.Position);
        }
    }

    private ExpressionNode ParseNameStart(Token token, List<StepNode> steps)
    {
        switch (token.Text.ToLowerInvariant())
        {
            case "true":
                Advance();
                return new LiteralNode(token.Position, true);
            case "false":
                Advance();
                return new LiteralNode(token.Position, false);
            case "null":
                Advance();
                return new LiteralNode(token.Position, null);
        }

        if (token.Text == "T" && PeekAt(1).Kind == TokenKind.LParen)
        {
            Advance();
            Advance();
            var typeName = ParseQualifiedName();
            Expect(TokenKind.RParen, "')' to close T(...)");
            return new TypeReferenceNode(token.Position, typeName);
        }

        if (token.Text == "new" && PeekAt(1).Kind == TokenKind.Identifier)
        {
            Advance();
            var typeName = ParseQualifiedName();
            if (Current.Kind == TokenKind.LSquare)
            {
                throw new ExpressionSyntaxException("arrays cannot be created in pipeline expressions", Current.Position);
            }

            Expect(TokenKind.LParen, $"'(' after new {typeName}");
            return new ConstructorNode(token.Position, typeName, ParseArguments());
        }

        Advance();
        if (Current.Kind == TokenKind.LParen)
        {
            Advance();
            steps.Add(new MethodStep(token.Position, token.Text, ParseArguments(), nullSafe: false));
            return new ActiveContextNode(token.Position);
        }

        if (token.Text == "deployedServerGroups")
        {
            // Orca rewrites the bare word into #deployedServerGroups(#root.execution); the execution is implicit here.
            return new FunctionCallNode(token.Position, "deployedServerGroups", []);
        }

        steps.Add(new PropertyStep(token.Position, token.Text, nullSafe: false, pathPrefix: ""));
        return new ActiveContextNode(token.Position);
    }

    private StepNode ParseDottedStep(bool nullSafe, string pathPrefix)
    {
        var token = Current;
        if (token.Kind is TokenKind.Select or TokenKind.SelectFirst or TokenKind.SelectLast or TokenKind.Project)
        {
            return ParseBracketStep(nullSafe);
        }

        if (token.Kind != TokenKind.Identifier && !IsWordOperator(token))
        {
            throw new ExpressionSyntaxException(
                token.Kind == TokenKind.End ? "expression ends after '.'; a property or method name is expected" : $"expected a property or method name after '.' but found '{token.Text}'",
                token.Position);
        }

        Advance();
        if (Current.Kind == TokenKind.LParen)
        {
            Advance();
            return new MethodStep(token.Position, token.Text, ParseArguments(), nullSafe);
        }

        return new PropertyStep(token.Position, token.Text, nullSafe, pathPrefix);
    }

    private static bool IsWordOperator(Token token) => token.Text.Length > 0 && char.IsAsciiLetter(token.Text[0]);

    private StepNode ParseBracketStep(bool nullSafe)
    {
        var token = Advance();
        var inner = ParseExpression();
        Expect(TokenKind.RSquare, "']'");
        return token.Kind switch
        {
            TokenKind.LSquare => new IndexStep(token.Position, inner, nullSafe),
            TokenKind.Select => new SelectionStep(token.Position, SelectionKind.All, inner, nullSafe),
            TokenKind.SelectFirst => new SelectionStep(token.Position, SelectionKind.First, inner, nullSafe),
            TokenKind.SelectLast => new SelectionStep(token.Position, SelectionKind.Last, inner, nullSafe),
            _ => new ProjectionStep(token.Position, inner, nullSafe),
        };
    }

    private ExpressionNode ParseFunctionOrVariable()
    {
        var hash = Advance();
        var name = Current;
        if (name.Kind != TokenKind.Identifier && !IsWordOperator(name))
        {
            throw new ExpressionSyntaxException("expected a function or variable name after '#'", name.Position);
        }

        Advance();
        if (Current.Kind == TokenKind.LParen)
        {
            Advance();
            return new FunctionCallNode(hash.Position, name.Text, ParseArguments());
        }

        return new VariableNode(hash.Position, name.Text);
    }

    /// <summary>Arguments after '(' up to ')'; a trailing comma is tolerated, as Orca's rewrite needs.</summary>
    private List<ExpressionNode> ParseArguments()
    {
        var args = new List<ExpressionNode>();
        while (Current.Kind != TokenKind.RParen)
        {
            args.Add(ParseExpression());
            if (!Accept(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RParen, "')' or ',' in the argument list");
        return args;
    }

    private string ParseQualifiedName()
    {
        var name = Expect(TokenKind.Identifier, "a type name").Text;
        while (Current.Kind == TokenKind.Dot && PeekAt(1).Kind == TokenKind.Identifier)
        {
            Advance();
            name += "." + Advance().Text;
        }

        return name;
    }

    private ExpressionNode ParseInlineCollection()
    {
        var open = Advance();
        if (Accept(TokenKind.RCurly))
        {
            return new InlineListNode(open.Position, []);
        }

        if (Current.Kind == TokenKind.Colon && PeekAt(1).Kind == TokenKind.RCurly)
        {
            Advance();
            Advance();
            return new InlineMapNode(open.Position, []);
        }

        if (IsMapKeyAhead())
        {
            return ParseInlineMap(open);
        }

        var items = new List<ExpressionNode> { ParseExpression() };
        while (Accept(TokenKind.Comma))
        {
            items.Add(ParseExpression());
        }

        Expect(TokenKind.RCurly, "'}' or ',' in the inline list");
        return new InlineListNode(open.Position, items);
    }

    private bool IsMapKeyAhead()
    {
        if (Current.Kind is TokenKind.Identifier or TokenKind.String or TokenKind.Int or TokenKind.Long or TokenKind.Real && PeekAt(1).Kind == TokenKind.Colon)
        {
            return true;
        }

        // A computed key: scan to the first ':' or ',' or '}' at this nesting level.
        var level = 0;
        for (var i = index; i < tokens.Count; i++)
        {
            switch (tokens[i].Kind)
            {
                case TokenKind.LParen or TokenKind.LSquare or TokenKind.LCurly or TokenKind.Select or TokenKind.SelectFirst or TokenKind.SelectLast or TokenKind.Project:
                    level++;
                    break;
                case TokenKind.RParen or TokenKind.RSquare or TokenKind.RCurly when level == 0:
                    return false;
                case TokenKind.RParen or TokenKind.RSquare or TokenKind.RCurly:
                    level--;
                    break;
                case TokenKind.Comma when level == 0:
                    return false;
                case TokenKind.QuestionMark when level == 0:
                    return false;
                case TokenKind.Colon when level == 0:
                    return true;
                case TokenKind.End:
                    return false;
            }
        }

        return false;
    }

    private InlineMapNode ParseInlineMap(Token open)
    {
        var entries = new List<(string?, ExpressionNode?, ExpressionNode)>();
        do
        {
            string? name = null;
            ExpressionNode? key = null;
            if (Current.Kind == TokenKind.Identifier && PeekAt(1).Kind == TokenKind.Colon)
            {
                name = Advance().Text;
            }
            else
            {
                key = ParseOr();
            }

            Expect(TokenKind.Colon, "':' after the map key");
            entries.Add((name, key, ParseExpression()));
        }
        while (Accept(TokenKind.Comma));

        Expect(TokenKind.RCurly, "'}' or ',' in the inline map");
        return new InlineMapNode(open.Position, entries);
    }

    private static object ParseNumber(Token token)
    {
        var digits = token.Text;
        try
        {
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                var value = long.Parse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return token.Kind == TokenKind.Long ? value : unchecked((int)value);
            }

            return token.Kind switch
            {
                TokenKind.Int when int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => (object)i,
                TokenKind.Int or TokenKind.Long => (object)long.Parse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture),
                TokenKind.Float => (object)float.Parse(digits, CultureInfo.InvariantCulture),
                _ => (object)double.Parse(digits, CultureInfo.InvariantCulture),
            };
        }
        catch (OverflowException)
        {
            throw new ExpressionSyntaxException($"the number {digits} is too large", token.Position);
        }
    }
}
