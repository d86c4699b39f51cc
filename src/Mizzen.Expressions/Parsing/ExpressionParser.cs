using Mizzen.Expressions.Ast;

namespace Mizzen.Expressions.Parsing;

/// <summary>
/// Recursive-descent parser for SpEL's grammar, by precedence (lowest first):
/// ternary/Elvis, or, and, relational, additive, multiplicative, power, unary, primary (a start node and its steps).
/// </summary>
internal sealed partial class ExpressionParser
{
    private readonly string text;
    private readonly List<Token> tokens;
    private readonly int maxDepth;
    private int index;
    private int depth;

    private ExpressionParser(string text, int maxDepth)
    {
        this.text = text;
        this.maxDepth = maxDepth;
        tokens = Tokenizer.Tokenize(text);
    }

    /// <summary>Parses one bare expression (no <c>${}</c>); errors carry the 0-based position inside <paramref name="text"/>.</summary>
    public static ExpressionNode Parse(string text, int maxDepth)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ExpressionSyntaxException("expression is empty", 0);
        }

        var parser = new ExpressionParser(text, maxDepth);
        var node = parser.ParseExpression();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw new ExpressionSyntaxException($"unexpected '{parser.Current.Text}' after the end of the expression", parser.Current.Position);
        }

        return node;
    }

    private Token Current => tokens[index];

    private Token PeekAt(int offset) => tokens[Math.Min(index + offset, tokens.Count - 1)];

    private Token Advance() => tokens[index++ < tokens.Count - 1 ? index - 1 : tokens.Count - 1];

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        index++;
        return true;
    }

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            var found = Current.Kind == TokenKind.End ? "the end of the expression" : $"'{Current.Text}'";
            throw new ExpressionSyntaxException($"expected {what} but found {found}", Current.Position);
        }

        return Advance();
    }

    private void Enter()
    {
        if (++depth > maxDepth)
        {
            throw new ExpressionLimitExceededException($"expression is nested more than {maxDepth} levels deep");
        }
    }

    private ExpressionNode ParseExpression()
    {
        Enter();
        try
        {
            var start = Current.Position;
            var condition = ParseOr();
            switch (Current.Kind)
            {
                case TokenKind.Assign:
                    Advance();
                    ParseOr();
                    return new AssignmentNode(start);
                case TokenKind.Elvis:
                    Advance();
                    return new ElvisNode(start, condition, ParseExpression());
                case TokenKind.QuestionMark:
                    Advance();
                    var whenTrue = ParseExpression();
                    Expect(TokenKind.Colon, "':' of the ternary operator");
                    return new TernaryNode(start, condition, whenTrue, ParseExpression());
                default:
                    return condition;
            }
        }
        finally
        {
            depth--;
        }
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.Or || Current.IsIdentifier("or"))
        {
            var position = Advance().Position;
            left = new LogicalNode(position, isAnd: false, left, ParseAnd());
        }

        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseRelational();
        while (Current.Kind == TokenKind.And || Current.IsIdentifier("and"))
        {
            var position = Advance().Position;
            left = new LogicalNode(position, isAnd: true, left, ParseRelational());
        }

        return left;
    }

    private ExpressionNode ParseRelational()
    {
        var left = ParseSum();
        BinaryOperator? op = Current.Kind switch
        {
            TokenKind.Eq => BinaryOperator.Equal,
            TokenKind.Ne => BinaryOperator.NotEqual,
            TokenKind.Lt => BinaryOperator.Less,
            TokenKind.Le => BinaryOperator.LessOrEqual,
            TokenKind.Gt => BinaryOperator.Greater,
            TokenKind.Ge => BinaryOperator.GreaterOrEqual,
            TokenKind.Identifier when Current.IsIdentifier("matches") => BinaryOperator.Matches,
            TokenKind.Identifier when Current.IsIdentifier("between") => BinaryOperator.Between,
            TokenKind.Identifier when Current.IsIdentifier("instanceof") => BinaryOperator.InstanceOf,
            _ => null,
        };
        if (op is null)
        {
            return left;
        }

        var position = Advance().Position;
        return new BinaryNode(position, op.Value, left, ParseSum());
    }

    private ExpressionNode ParseSum()
    {
        var left = ParseProduct();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var token = Advance();
            var op = token.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = new BinaryNode(token.Position, op, left, ParseProduct());
        }

        return left;
    }

    private ExpressionNode ParseProduct()
    {
        var left = ParsePower();
        while (Current.Kind is TokenKind.Star or TokenKind.Divide or TokenKind.Modulus)
        {
            var token = Advance();
            var op = token.Kind switch
            {
                TokenKind.Star => BinaryOperator.Multiply,
                TokenKind.Divide => BinaryOperator.Divide,
                _ => BinaryOperator.Modulus,
            };
            left = new BinaryNode(token.Position, op, left, ParsePower());
        }

        return left;
    }

    private ExpressionNode ParsePower()
    {
        var left = ParseUnary();
        if (Current.Kind == TokenKind.Power)
        {
            var position = Advance().Position;
            return new BinaryNode(position, BinaryOperator.Power, left, ParseUnary());
        }

        if (Current.Kind is TokenKind.Increment or TokenKind.Decrement)
        {
            throw new ExpressionSyntaxException("++ and -- are not allowed in pipeline expressions", Current.Position);
        }

        return left;
    }

    private ExpressionNode ParseUnary()
    {
        Enter();
        try
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Not:
                    Advance();
                    return new UnaryNode(token.Position, '!', ParseUnary());
                case TokenKind.Minus:
                    Advance();
                    return new UnaryNode(token.Position, '-', ParseUnary());
                case TokenKind.Plus:
                    Advance();
                    return new UnaryNode(token.Position, '+', ParseUnary());
                case TokenKind.Increment or TokenKind.Decrement:
                    throw new ExpressionSyntaxException("++ and -- are not allowed in pipeline expressions", token.Position);
                default:
                    return ParsePrimary();
            }
        }
        finally
        {
            depth--;
        }
    }
}
