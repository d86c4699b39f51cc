using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Ast;

/// <summary><c>{1, 2, 3}</c></summary>
internal sealed class InlineListNode(int position, IReadOnlyList<ExpressionNode> items) : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        var list = new ValueList(items.Count);
        foreach (var item in items)
        {
            list.Add(item.Evaluate(state));
            state.ChargeElement(list.Count);
        }

        return list;
    }
}

/// <summary><c>{a: 1, 'b': 2}</c>: a bare name as a key is the name itself, any other key is evaluated.</summary>
internal sealed class InlineMapNode(int position, IReadOnlyList<(string? Name, ExpressionNode? Key, ExpressionNode Value)> entries)
    : ExpressionNode(position)
{
    protected override object? EvaluateCore(EvaluationState state)
    {
        var map = new ValueMap();
        foreach (var (name, key, value) in entries)
        {
            var keyText = name ?? JavaText.ToJavaString(key!.Evaluate(state), state);
            map[keyText] = value.Evaluate(state);
            state.ChargeElement(map.Count);
        }

        return map;
    }
}
