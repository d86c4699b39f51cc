using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Methods;

/// <summary>The <c>java.util.List</c> methods pipelines call (read-only: nothing here changes the list).</summary>
internal static class ListMethods
{
    public static bool TryInvoke(object list, string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("size", 0) => ValueCollections.Count(list),
            ("isEmpty", 0) => JsonValues.Box(ValueCollections.Count(list) == 0),
            ("get", 1) => Get(list, args[0]),
            ("contains", 1) => JsonValues.Box(ValueCollections.Items(list).Any(i => ValueComparison.AreEqual(i, args[0]))),
            ("containsAll", 1) when ValueCollections.IsList(args[0]) => JsonValues.Box(ValueCollections.Items(args[0]!)
                .All(wanted => ValueCollections.Items(list).Any(i => ValueComparison.AreEqual(i, wanted)))),
            ("indexOf", 1) => IndexOf(ValueCollections.Items(list), args[0]),
            ("lastIndexOf", 1) => LastIndexOf(list, args[0]),
            ("subList", 2) => SubList(list, MethodArguments.Int(args, 0, name), MethodArguments.Int(args, 1, name), state),
            _ => null,
        };
        return result is not null;
    }

    private static object? Get(object list, object? index)
    {
        var position = index is int i ? i : index is long l ? (int)l : -1;
        var count = ValueCollections.Count(list);
        if (position < 0 || position >= count)
        {
            throw new ExpressionException($"get: index {JavaText.ToJavaString(index)} is out of bounds for length {count}");
        }

        return ValueCollections.At(list, position) ?? NullResult.Instance;
    }

    private static int IndexOf(IEnumerable<object?> items, object? wanted)
    {
        var position = 0;
        foreach (var item in items)
        {
            if (ValueComparison.AreEqual(item, wanted))
            {
                return position;
            }

            position++;
        }

        return -1;
    }

    private static int LastIndexOf(object list, object? wanted)
    {
        var items = ValueCollections.Items(list).ToList();
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (ValueComparison.AreEqual(items[i], wanted))
            {
                return i;
            }
        }

        return -1;
    }

    private static ValueList SubList(object list, int from, int to, EvaluationState state)
    {
        var count = ValueCollections.Count(list);
        if (from < 0 || to > count || from > to)
        {
            throw new ExpressionException($"subList: fromIndex {from}, toIndex {to}, size {count}");
        }

        return state.ChargeCollection(new ValueList(ValueCollections.Items(list).Skip(from).Take(to - from)), to - from);
    }
}

/// <summary>Marks "the method exists and returned null" where the dispatcher uses null for "no such method".</summary>
internal sealed class NullResult
{
    public static readonly NullResult Instance = new();

    private NullResult()
    {
    }
}
