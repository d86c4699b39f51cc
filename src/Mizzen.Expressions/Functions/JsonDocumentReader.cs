using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Functions;

/// <summary>
/// <c>#readJson</c> and <c>#jsonFromUrl</c>: one fast pass with <see cref="Utf8JsonReader"/> checks the text against
/// <see cref="DocumentLimits"/> (length, depth, values) and charges it to the evaluation before any node is built.
/// </summary>
internal static class JsonDocumentReader
{
    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static object? Read(string text, EvaluationState state, string function)
    {
        var limits = state.Environment.Options.Documents;
        DocumentBounds.CheckLength(text, limits, function);
        var utf8 = Encoding.UTF8.GetBytes(text);
        try
        {
            Measure(utf8, limits, state, function);
            var node = JsonNode.Parse(utf8, documentOptions: Lenient with { MaxDepth = limits.MaxDepth + 1 });
            return JsonValues.FromNode(node);
        }
        catch (JsonException e)
        {
            throw new ExpressionFunctionException($"{function}({JsonFunctions.Shorten(text)}) failed: {e.Message}", e);
        }
    }

    private static void Measure(ReadOnlySpan<byte> utf8, DocumentLimits limits, EvaluationState state, string function)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = limits.MaxDepth + 1,
        });
        long values = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (reader.CurrentDepth >= limits.MaxDepth)
                    {
                        throw new ExpressionLimitExceededException(
                            $"{function}: the JSON is nested more than {limits.MaxDepth} levels deep; the limit is Mizzen:Expressions:Documents:MaxDepth");
                    }

                    values++;
                    state.Charge(MemoryCost.Node + MemoryCost.Collection);
                    break;
                case JsonTokenType.PropertyName:
                    state.Charge(MemoryCost.String(reader.ValueSpan.Length));
                    break;
                case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    values++;
                    state.Charge(MemoryCost.Node + MemoryCost.String(reader.ValueSpan.Length));
                    break;
            }

            if (values > limits.MaxNodes)
            {
                throw new ExpressionLimitExceededException(
                    $"{function}: the JSON has more than {limits.MaxNodes} values; the limit is Mizzen:Expressions:Documents:MaxNodes");
            }
        }
    }
}

/// <summary>Checks shared by the document readers.</summary>
internal static class DocumentBounds
{
    public static void CheckLength(string text, DocumentLimits limits, string function)
    {
        if (text.Length > limits.MaxLength)
        {
            throw new ExpressionLimitExceededException(
                $"{function}: the text is {text.Length} characters long; the limit is {limits.MaxLength} (Mizzen:Expressions:Documents:MaxLength)");
        }
    }
}
