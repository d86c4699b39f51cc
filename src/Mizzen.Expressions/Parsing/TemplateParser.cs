namespace Mizzen.Expressions.Parsing;

/// <summary>
/// Spring's template parsing with prefix <c>${</c> and suffix <c>}</c>: braces, brackets and string literals inside an
/// expression are balanced before the closing brace is taken, so <c>${ {'a': 1}.toString() }</c> works.
/// Nested templates (<c>${ a ${b} }</c>) are errors. A secret reference (<c>${secret:name}</c>) is literal text.
/// </summary>
internal static class TemplateParser
{
    public static ParsedTemplate Parse(string text, ExpressionOptions options)
    {
        try
        {
            return new ParsedTemplate(Split(text, options));
        }
        catch (ExpressionSyntaxException error)
        {
            return new ParsedTemplate(error);
        }
        catch (ExpressionLimitExceededException limit)
        {
            return new ParsedTemplate(new ExpressionSyntaxException(limit.Message, 0));
        }
    }

    private static List<TemplatePart> Split(string text, ExpressionOptions options)
    {
        var parts = new List<TemplatePart>();
        var pos = 0;
        while (pos < text.Length)
        {
            var start = text.IndexOf("${", pos, StringComparison.Ordinal);
            if (start < 0)
            {
                parts.Add(new TemplatePart(text[pos..], null, pos));
                break;
            }

            if (start > pos)
            {
                parts.Add(new TemplatePart(text[pos..start], null, pos));
            }

            var bodyStart = start + 2;
            var end = FindClosingBrace(text, bodyStart);
            var body = text[bodyStart..end];
            if (string.IsNullOrWhiteSpace(body))
            {
                throw new ExpressionSyntaxException("no expression between '${' and '}'", start);
            }

            if (Mizzen.Core.Secrets.SecretReferences.IsReferenceBody(body))
            {
                // ${secret:name} is a reference resolved where a request is sent, not an expression: it stays as it is written.
                parts.Add(new TemplatePart(text[start..(end + 1)], null, start));
                pos = end + 1;
                continue;
            }

            if (body.Length > options.MaxExpressionLength)
            {
                throw new ExpressionSyntaxException(
                    $"expression is {body.Length} characters long; the limit is {options.MaxExpressionLength}", start);
            }

            try
            {
                parts.Add(new TemplatePart(body, ExpressionParser.Parse(body, options.MaxNestingDepth), bodyStart));
            }
            catch (ExpressionSyntaxException inner)
            {
                throw new ExpressionSyntaxException(inner.Message, bodyStart + inner.Position);
            }
            catch (ExpressionLimitExceededException limit)
            {
                throw new ExpressionSyntaxException(limit.Message, bodyStart);
            }

            pos = end + 1;
        }

        return parts;
    }

    private static int FindClosingBrace(string text, int pos)
    {
        var open = new Stack<char>();
        for (var i = pos; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\'' or '"':
                    i = SkipString(text, i);
                    break;
                case '$' when i + 1 < text.Length && text[i + 1] == '{':
                    throw new ExpressionSyntaxException("'${' inside an expression: templates cannot be nested (write '${'...'}' for a literal)", i);
                case '(' or '[' or '{':
                    open.Push(c);
                    break;
                case ')' or ']':
                    if (open.Count == 0 || open.Pop() != (c == ')' ? '(' : '['))
                    {
                        throw new ExpressionSyntaxException($"'{c}' has no matching opening bracket", i);
                    }

                    break;
                case '}' when open.Count == 0:
                    return i;
                case '}':
                    if (open.Pop() != '{')
                    {
                        throw new ExpressionSyntaxException("'}' closes a bracket that is not '{'", i);
                    }

                    break;
            }
        }

        throw new ExpressionSyntaxException("'${' has no closing '}'", pos - 2);
    }

    private static int SkipString(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] != quote)
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == quote)
            {
                i++;
                continue;
            }

            return i;
        }

        throw new ExpressionSyntaxException("string literal is not terminated", start);
    }
}
