using Mizzen.Expressions.Ast;

namespace Mizzen.Expressions.Parsing;

/// <summary>A string split into literal text and <c>${ }</c> parts, or the syntax error that stopped the split.</summary>
internal sealed class ParsedTemplate
{
    public ParsedTemplate(IReadOnlyList<TemplatePart> parts) => Parts = parts;

    public ParsedTemplate(ExpressionSyntaxException error) => (Parts, Error) = ([], error);

    public IReadOnlyList<TemplatePart> Parts { get; }

    /// <summary>Set when the text is not valid; its position is the 0-based offset in the whole text.</summary>
    public ExpressionSyntaxException? Error { get; }

    /// <summary>The text is exactly one <c>${ }</c>: the result keeps its type.</summary>
    public bool IsSingleExpression => Parts.Count == 1 && Parts[0].Node is not null;

    public bool HasExpressions => Error is not null || Parts.Any(p => p.Node is not null);
}

/// <summary>Literal text (<see cref="Node"/> null) or one expression with its source text (without <c>${}</c>) and offset.</summary>
internal sealed record TemplatePart(string Text, ExpressionNode? Node, int Offset);
