using System.Text;

namespace Mizzen.Expressions.Parsing;

/// <summary>Splits SpEL text into tokens. String literals use '' or "" to escape their quote; there are no backslash escapes.</summary>
internal static class Tokenizer
{
    private static readonly Dictionary<string, TokenKind> WordOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["div"] = TokenKind.Divide,
        ["mod"] = TokenKind.Modulus,
        ["eq"] = TokenKind.Eq,
        ["ne"] = TokenKind.Ne,
        ["lt"] = TokenKind.Lt,
        ["le"] = TokenKind.Le,
        ["gt"] = TokenKind.Gt,
        ["ge"] = TokenKind.Ge,
        ["not"] = TokenKind.Not,
    };

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var pos = 0;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (char.IsWhiteSpace(c))
            {
                pos++;
                continue;
            }

            var start = pos;
            if (char.IsAsciiLetter(c) || c == '_' || (c == '$' && Peek(text, pos + 1) != '['))
            {
                while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '_' or '$'))
                {
                    pos++;
                }

                var word = text[start..pos];
                tokens.Add(WordOperators.TryGetValue(word, out var op)
                    ? new Token(op, start, pos, word)
                    : new Token(TokenKind.Identifier, start, pos, word));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                tokens.Add(LexNumber(text, ref pos));
                continue;
            }

            if (c is '\'' or '"')
            {
                tokens.Add(LexString(text, ref pos));
                continue;
            }

            var next = Peek(text, pos + 1);
            var (kind, length) = (c, next) switch
            {
                ('(', _) => (TokenKind.LParen, 1),
                (')', _) => (TokenKind.RParen, 1),
                ('[', _) => (TokenKind.LSquare, 1),
                (']', _) => (TokenKind.RSquare, 1),
                ('{', _) => (TokenKind.LCurly, 1),
                ('}', _) => (TokenKind.RCurly, 1),
                (',', _) => (TokenKind.Comma, 1),
                (':', _) => (TokenKind.Colon, 1),
                ('.', _) => (TokenKind.Dot, 1),
                ('?', '[') => (TokenKind.Select, 2),
                ('?', ':') => (TokenKind.Elvis, 2),
                ('?', '.') => (TokenKind.SafeNavigation, 2),
                ('?', _) => (TokenKind.QuestionMark, 1),
                ('^', '[') => (TokenKind.SelectFirst, 2),
                ('^', _) => (TokenKind.Power, 1),
                ('$', '[') => (TokenKind.SelectLast, 2),
                ('!', '[') => (TokenKind.Project, 2),
                ('!', '=') => (TokenKind.Ne, 2),
                ('!', _) => (TokenKind.Not, 1),
                ('#', _) => (TokenKind.Hash, 1),
                ('@', _) => (TokenKind.At, 1),
                ('=', '=') => (TokenKind.Eq, 2),
                ('=', _) => (TokenKind.Assign, 1),
                ('<', '=') => (TokenKind.Le, 2),
                ('<', _) => (TokenKind.Lt, 1),
                ('>', '=') => (TokenKind.Ge, 2),
                ('>', _) => (TokenKind.Gt, 1),
                ('+', '+') => (TokenKind.Increment, 2),
                ('+', _) => (TokenKind.Plus, 1),
                ('-', '-') => (TokenKind.Decrement, 2),
                ('-', _) => (TokenKind.Minus, 1),
                ('*', _) => (TokenKind.Star, 1),
                ('/', _) => (TokenKind.Divide, 1),
                ('%', _) => (TokenKind.Modulus, 1),
                ('&', '&') => (TokenKind.And, 2),
                ('|', '|') => (TokenKind.Or, 2),
                _ => throw new ExpressionSyntaxException($"unexpected character '{c}'", pos),
            };
            tokens.Add(new Token(kind, pos, pos + length, text.Substring(pos, length)));
            pos += length;
        }

        tokens.Add(new Token(TokenKind.End, text.Length, text.Length));
        return tokens;
    }

    private static char Peek(string text, int index) => index < text.Length ? text[index] : '\0';

    private static Token LexString(string text, ref int pos)
    {
        var quote = text[pos];
        var start = pos;
        var builder = new StringBuilder();
        pos++;
        while (true)
        {
            if (pos >= text.Length)
            {
                throw new ExpressionSyntaxException("string literal is not terminated", start);
            }

            if (text[pos] == quote)
            {
                if (Peek(text, pos + 1) == quote)
                {
                    builder.Append(quote);
                    pos += 2;
                    continue;
                }

                pos++;
                return new Token(TokenKind.String, start, pos, builder.ToString());
            }

            builder.Append(text[pos++]);
        }
    }

    private static Token LexNumber(string text, ref int pos)
    {
        var start = pos;
        if (text[pos] == '0' && Peek(text, pos + 1) is 'x' or 'X')
        {
            pos += 2;
            while (pos < text.Length && char.IsAsciiHexDigit(text[pos]))
            {
                pos++;
            }

            var hex = text[(start + 2)..pos];
            if (hex.Length == 0)
            {
                throw new ExpressionSyntaxException("hexadecimal literal has no digits", start);
            }

            if (Peek(text, pos) is 'L' or 'l')
            {
                pos++;
                return new Token(TokenKind.Long, start, pos, "0x" + hex);
            }

            return new Token(TokenKind.Int, start, pos, "0x" + hex);
        }

        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
        {
            pos++;
        }

        var isReal = false;
        if (Peek(text, pos) == '.' && char.IsAsciiDigit(Peek(text, pos + 1)))
        {
            isReal = true;
            pos++;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }
        }

        if (Peek(text, pos) is 'e' or 'E' && (char.IsAsciiDigit(Peek(text, pos + 1)) || (Peek(text, pos + 1) is '+' or '-' && char.IsAsciiDigit(Peek(text, pos + 2)))))
        {
            isReal = true;
            pos += 2;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }
        }

        var digits = text[start..pos];
        switch (Peek(text, pos))
        {
            case 'L' or 'l' when !isReal:
                pos++;
                return new Token(TokenKind.Long, start, pos, digits);
            case 'f' or 'F':
                pos++;
                return new Token(TokenKind.Float, start, pos, digits);
            case 'd' or 'D':
                pos++;
                return new Token(TokenKind.Real, start, pos, digits);
        }

        return new Token(isReal ? TokenKind.Real : TokenKind.Int, start, pos, digits);
    }
}
