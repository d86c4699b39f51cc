using Mizzen.Expressions.Ast;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Evaluation;

/// <summary>Selection (<c>.?[ ]</c>, <c>.^[ ]</c>, <c>.$[ ]</c>) and projection (<c>.![ ]</c>) over lists and maps.</summary>
internal static class CollectionOperations
{
    public static object? Select(object? target, SelectionKind kind, ExpressionNode criteria, EvaluationState state)
    {
        if (ValueCollections.IsMap(target))
        {
            var map = new ValueMap();
            foreach (var entry in ValueCollections.Entries(target!))
            {
                if (Matches(entry, criteria, state))
                {
                    map[entry.Key] = entry.Value;
                    state.ChargeElement(map.Count);
                }
            }

            return kind switch
            {
                SelectionKind.All => map,
                _ when map.Count == 0 => null,
                SelectionKind.First => Single(map.First()),
                _ => Single(map.Last()),
            };
        }

        var items = Elements(target, "selection");
        var selected = new ValueList();
        foreach (var item in items)
        {
            if (!Matches(item, criteria, state))
            {
                continue;
            }

            if (kind == SelectionKind.First)
            {
                return item;
            }

            selected.Add(item);
            state.ChargeElement(selected.Count);
        }

        return kind switch
        {
            SelectionKind.All => selected,
            SelectionKind.Last => selected.Count == 0 ? null : selected[^1],
            _ => null,
        };
    }

    private static ValueMap Single(KeyValuePair<string, object?> entry) => new() { [entry.Key] = entry.Value };

    public static object? Project(object? target, ExpressionNode projection, EvaluationState state)
    {
        var source = ValueCollections.IsMap(target)
            ? ValueCollections.Entries(target!).Cast<object?>()
            : Elements(target, "projection");
        var result = new ValueList();
        foreach (var item in source)
        {
            result.Add(WithElement(item, projection, state));
            state.ChargeElement(result.Count);
        }

        return result;
    }

    private static IEnumerable<object?> Elements(object? target, string what) => target switch
    {
        null => throw new ExpressionException($"EL1027E: Cannot apply {what} to null"),
        _ when ValueCollections.IsList(target) => ValueCollections.Items(target),
        _ => throw new ExpressionException($"EL1036E: Cannot apply {what} to an object of type '{JavaTypeNames.Of(target)}'"),
    };

    private static bool Matches(object? element, ExpressionNode criteria, EvaluationState state)
    {
        var result = WithElement(element, criteria, state);
        return result is bool b
            ? b
            : throw new ExpressionException("EL1043E: Result of selection criteria is not boolean");
    }

    private static object? WithElement(object? element, ExpressionNode node, EvaluationState state)
    {
        var (savedActive, savedScope) = (state.ActiveContext, state.ScopeRoot);
        state.ActiveContext = element;
        state.ScopeRoot = element;
        try
        {
            return node.Evaluate(state);
        }
        finally
        {
            state.ActiveContext = savedActive;
            state.ScopeRoot = savedScope;
        }
    }
}
