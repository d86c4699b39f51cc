using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Types;
using Mizzen.Expressions.Values;

namespace Mizzen.Expressions.Methods;

/// <summary>
/// Method calls, by receiver kind. Only the methods listed in these files exist: nothing is looked up by reflection,
/// and Object's methods other than equals/hashCode/toString (getClass, wait, notify ...) are not there.
/// </summary>
internal static class MethodDispatch
{
    public static object? Invoke(object? target, string name, object?[] args, EvaluationState state)
    {
        if (target is null)
        {
            // Usually the receiver was a name that does not exist (a typo): say which, and what does exist.
            var missing = state.LastMissingName;
            throw new ExpressionException($"EL1011E: Method call: Attempted to call method {name}() on null context object"
                                          + (missing is null ? "" : $" ('{missing.Path}' was not found)"))
            {
                Suggestions = missing?.Suggestions(),
            };
        }

        if (TryInvoke(target, name, args, state, out var result))
        {
            return result is NullResult ? null : ChargeNewString(result, target, args, state);
        }

        var argumentTypes = string.Join(",", args.Select(JavaTypeNames.Of));
        var receiver = target is AllowedType type ? type.JavaName : JavaTypeNames.Of(target);
        throw new ExpressionException($"EL1004E: Method call: Method {name}({argumentTypes}) cannot be found on type {receiver}");
    }

    /// <summary>
    /// A string a method returns is new unless it is the receiver or an argument (<c>trim()</c> of a trimmed string):
    /// new ones count against the evaluation's length and memory bounds.
    /// </summary>
    private static object? ChargeNewString(object? result, object target, object?[] args, EvaluationState state)
    {
        if (result is string text && !ReferenceEquals(text, target) && Array.TrueForAll(args, a => !ReferenceEquals(a, text)))
        {
            state.CheckLength(text);
        }

        return result;
    }

    private static bool TryInvoke(object target, string name, object?[] args, EvaluationState state, out object? result)
    {
        var found = target switch
        {
            string s => StringMethods.TryInvoke(s, name, args, state, out result),
            ValueList or System.Text.Json.Nodes.JsonArray => ListMethods.TryInvoke(target, name, args, state, out result),
            ValueMap or System.Text.Json.Nodes.JsonObject => MapMethods.TryInvoke(target, name, args, state, out result),
            RootView root => MapMethods.TryInvoke(root.ToMap(), name, args, state, out result),
            StageView stage => TryGetter(name, args, stage.TryGet, out result),
            ExecutionView execution => TryGetter(name, args, execution.TryGet, out result),
            MapEntry entry => TryGetter(name, args, (n, out v) => EntryMember(entry, n, out v), out result),
            DoNotEvalValue wrapped => TryInvoke(wrapped.Value ?? "null", name, args, state, out result),
            AllowedType type => type.TryInvokeStatic(name, args, state, out result),
            IJavaObject typed => typed.TryInvoke(name, args, state, out result),
            int or long or double or float => NumberMethods.TryInvoke(target, name, args, out result),
            bool b => BooleanMethods(b, name, args, out result),
            _ => Unknown(out result),
        };
        return found || CommonObjectMethods(target, name, args, state, out result);
    }

    /// <summary>JavaBean-style read for <c>x.name</c> on objects that are not maps: <c>getName()</c> or <c>isName()</c>.</summary>
    public static bool TryInvokeGetter(object target, string name, EvaluationState state, out object? value)
    {
        if (name.Length == 0)
        {
            value = null;
            return false;
        }

        var capitalized = char.ToUpperInvariant(name[0]) + name[1..];
        var found = TryInvoke(target, "get" + capitalized, [], state, out value)
                    || TryInvoke(target, "is" + capitalized, [], state, out value);
        if (value is NullResult)
        {
            value = null;
        }

        return found;
    }

    private delegate bool MemberReader(string name, out object? value);

    private static bool TryGetter(string method, object?[] args, MemberReader reader, out object? result)
    {
        result = null;
        if (args.Length != 0 || method.Length < 3)
        {
            return false;
        }

        var prefix = method.StartsWith("get", StringComparison.Ordinal) ? 3 : method.StartsWith("is", StringComparison.Ordinal) ? 2 : 0;
        if (prefix == 0 || method.Length == prefix)
        {
            return false;
        }

        var member = char.ToLowerInvariant(method[prefix]) + method[(prefix + 1)..];
        return reader(member, out result) || (prefix == 2 && reader("has" + method[prefix..], out result));
    }

    private static bool EntryMember(MapEntry entry, string name, out object? value)
    {
        value = name switch
        {
            "key" => entry.Key,
            "value" => entry.Value,
            _ => null,
        };
        return name is "key" or "value";
    }

    private static bool BooleanMethods(bool value, string name, object?[] args, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("booleanValue", 0) => JsonValues.Box(value),
            ("compareTo", 1) when args[0] is bool other => value.CompareTo(other),
            _ => null,
        };
        return result is not null;
    }

    private static bool CommonObjectMethods(object target, string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("toString", 0) => JavaText.ToJavaString(target, state),
            ("equals", 1) => JsonValues.Box(ValueComparison.AreEqual(target, args[0])),
            ("hashCode", 0) => JavaText.ToJavaString(target).GetHashCode(StringComparison.Ordinal),
            _ => null,
        };
        return result is not null;
    }

    private static bool Unknown(out object? result)
    {
        result = null;
        return false;
    }
}
