namespace Mizzen.Expressions.Parsing;

internal enum TokenKind
{
    Identifier,
    Int,
    Long,
    Real,
    Float,
    String,
    LParen,
    RParen,
    LSquare,
    RSquare,
    LCurly,
    RCurly,
    Comma,
    Colon,
    Dot,
    SafeNavigation,
    QuestionMark,
    Elvis,
    Select,
    SelectFirst,
    SelectLast,
    Project,
    Hash,
    At,
    Not,
    Assign,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Divide,
    Modulus,
    Power,
    And,
    Or,
    Increment,
    Decrement,
    End,
}

/// <summary>One lexical token; <see cref="Position"/> is its 0-based offset in the expression.</summary>
internal readonly record struct Token(TokenKind Kind, int Position, int End, string Text = "")
{
    public bool IsIdentifier(string word) =>
        Kind == TokenKind.Identifier && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
}
