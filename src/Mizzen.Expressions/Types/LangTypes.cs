using System.Globalization;
using Mizzen.Expressions.Evaluation;
using Mizzen.Expressions.Values;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.lang.String</c>: <c>valueOf</c>, <c>join</c>, <c>new String(x)</c>.</summary>
internal sealed class StringType : AllowedType
{
    public override string JavaName => "java.lang.String";

    public override bool IsInstance(object? value) => value is string;

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("valueOf", 1) => JavaText.ToJavaString(args[0], state),
            ("join", >= 2) when args.Length == 2 && ValueCollections.IsList(args[1]) =>
                Join(Text(args, 0, name), ValueCollections.Items(args[1]!), state),
            ("join", >= 2) => Join(Text(args, 0, name), args.Skip(1), state),
            _ => null,
        };
        return result is not null;
    }

    public override object? Construct(object?[] args, EvaluationState state) => args.Length switch
    {
        0 => "",
        1 => JavaText.ToJavaString(args[0], state),
        _ => throw NoConstructor(args),
    };

    /// <summary><c>String.join</c>, refused as soon as the text passes <c>MaxResultLength</c>.</summary>
    private static string Join(string separator, IEnumerable<object?> items, EvaluationState state)
    {
        var builder = new System.Text.StringBuilder();
        var first = true;
        foreach (var item in items)
        {
            builder.Append(first ? "" : separator);
            first = false;
            builder.Append(JavaText.ToJavaString(item, state));
            state.CheckLength((long)builder.Length);
        }

        return builder.ToString();
    }
}

/// <summary><c>java.lang.Integer</c>: <c>parseInt</c>, <c>valueOf</c>, <c>toString</c>, <c>MAX_VALUE</c>, <c>MIN_VALUE</c>.</summary>
internal sealed class IntegerType : AllowedType
{
    public override string JavaName => "java.lang.Integer";

    public override bool IsInstance(object? value) => value is int;

    public override object? ReadStatic(string name) => name switch
    {
        "MAX_VALUE" => int.MaxValue,
        "MIN_VALUE" => int.MinValue,
        _ => base.ReadStatic(name),
    };

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("parseInt" or "valueOf", 1) => Parse(args[0]),
            ("toString", 1) => JavaText.ToJavaString(Int(args, 0, name)),
            ("max", 2) => Math.Max(Int(args, 0, name), Int(args, 1, name)),
            ("min", 2) => Math.Min(Int(args, 0, name), Int(args, 1, name)),
            ("sum", 2) => unchecked(Int(args, 0, name) + Int(args, 1, name)),
            _ => null,
        };
        return result is not null;
    }

    public override object? Construct(object?[] args, EvaluationState state) =>
        args.Length == 1 ? Parse(args[0]) : throw NoConstructor(args);

    public static int Parse(object? value) => value switch
    {
        int i => i,
        string s when int.TryParse(s.StartsWith('+') ? s[1..] : s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        long or double or float => throw new ExpressionException($"Integer: cannot convert {JavaText.ToJavaString(value)} to an int"),
        _ => throw new ExpressionException($"NumberFormatException: For input string: \"{JavaText.ToJavaString(value)}\""),
    };
}

/// <summary><c>java.lang.Long</c>: <c>parseLong</c>, <c>valueOf</c>, <c>MAX_VALUE</c>, <c>MIN_VALUE</c>.</summary>
internal sealed class LongType : AllowedType
{
    public override string JavaName => "java.lang.Long";

    public override bool IsInstance(object? value) => value is long;

    public override object? ReadStatic(string name) => name switch
    {
        "MAX_VALUE" => long.MaxValue,
        "MIN_VALUE" => long.MinValue,
        _ => base.ReadStatic(name),
    };

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("parseLong" or "valueOf", 1) => Parse(args[0]),
            ("toString", 1) => JavaText.ToJavaString(Long(args, 0, name)),
            _ => null,
        };
        return result is not null;
    }

    public override object? Construct(object?[] args, EvaluationState state) =>
        args.Length == 1 ? Parse(args[0]) : throw NoConstructor(args);

    private static long Parse(object? value) => value switch
    {
        int i => i,
        long l => l,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ExpressionException($"NumberFormatException: For input string: \"{JavaText.ToJavaString(value)}\""),
    };
}

/// <summary><c>java.lang.Double</c>: <c>parseDouble</c>, <c>valueOf</c>.</summary>
internal sealed class DoubleType : AllowedType
{
    public override string JavaName => "java.lang.Double";

    public override bool IsInstance(object? value) => value is double;

    public override object? ReadStatic(string name) => name switch
    {
        "MAX_VALUE" => double.MaxValue,
        "MIN_VALUE" => double.Epsilon,
        _ => base.ReadStatic(name),
    };

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("parseDouble" or "valueOf", 1) => Parse(args[0]),
            ("toString", 1) => JavaText.FormatDouble(Double(args, 0, name)),
            _ => null,
        };
        return result is not null;
    }

    public override object? Construct(object?[] args, EvaluationState state) =>
        args.Length == 1 ? Parse(args[0]) : throw NoConstructor(args);

    private static double Parse(object? value) => value switch
    {
        var n when Arithmetic.IsNumber(n) => Arithmetic.ToDouble(n!),
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ExpressionException($"NumberFormatException: For input string: \"{JavaText.ToJavaString(value)}\""),
    };
}

/// <summary><c>java.lang.Boolean</c>: <c>parseBoolean</c>, <c>valueOf</c>, <c>TRUE</c>, <c>FALSE</c> (not <c>getBoolean</c>).</summary>
internal sealed class BooleanType : AllowedType
{
    public override string JavaName => "java.lang.Boolean";

    public override bool IsInstance(object? value) => value is bool;

    public override object? ReadStatic(string name) => name switch
    {
        "TRUE" => JsonValues.True,
        "FALSE" => JsonValues.False,
        _ => base.ReadStatic(name),
    };

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("parseBoolean" or "valueOf", 1) => JsonValues.Box(Parse(args[0])),
            ("toString", 1) => JavaText.ToJavaString(args[0]),
            _ => null,
        };
        return result is not null;
    }

    public override object? Construct(object?[] args, EvaluationState state) =>
        args.Length == 1 ? JsonValues.Box(Parse(args[0])) : throw NoConstructor(args);

    public static bool Parse(object? value) => value switch
    {
        bool b => b,
        string s => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}

/// <summary><c>java.lang.Math</c>.</summary>
internal sealed class MathType : AllowedType
{
    public override string JavaName => "java.lang.Math";

    public override object? ReadStatic(string name) => name switch
    {
        "PI" => Math.PI,
        "E" => Math.E,
        _ => base.ReadStatic(name),
    };

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        var integral = args.All(a => a is int or long);
        var allInt = args.All(a => a is int);
        result = (name, args.Length) switch
        {
            ("abs", 1) when allInt => (object)Math.Abs((int)args[0]!),
            ("abs", 1) when integral => Math.Abs(Long(args, 0, name)),
            ("abs", 1) => Math.Abs(Double(args, 0, name)),
            ("max", 2) when allInt => Math.Max((int)args[0]!, (int)args[1]!),
            ("max", 2) when integral => Math.Max(Long(args, 0, name), Long(args, 1, name)),
            ("max", 2) => Math.Max(Double(args, 0, name), Double(args, 1, name)),
            ("min", 2) when allInt => Math.Min((int)args[0]!, (int)args[1]!),
            ("min", 2) when integral => Math.Min(Long(args, 0, name), Long(args, 1, name)),
            ("min", 2) => Math.Min(Double(args, 0, name), Double(args, 1, name)),
            ("round", 1) when args[0] is float f => (int)Math.Floor(f + 0.5f),
            ("round", 1) => (long)Math.Floor(Double(args, 0, name) + 0.5),
            ("floor", 1) => Math.Floor(Double(args, 0, name)),
            ("ceil", 1) => Math.Ceiling(Double(args, 0, name)),
            ("pow", 2) => Math.Pow(Double(args, 0, name), Double(args, 1, name)),
            ("sqrt", 1) => Math.Sqrt(Double(args, 0, name)),
            ("log", 1) => Math.Log(Double(args, 0, name)),
            ("log10", 1) => Math.Log10(Double(args, 0, name)),
            ("exp", 1) => Math.Exp(Double(args, 0, name)),
            ("signum", 1) => (double)Math.Sign(Double(args, 0, name)),
            ("floorDiv", 2) when integral => FloorDiv(Long(args, 0, name), Long(args, 1, name), allInt),
            ("floorMod", 2) when integral => FloorMod(Long(args, 0, name), Long(args, 1, name), allInt),
            ("random", 0) => Random.Shared.NextDouble(),
            _ => null,
        };
        return result is not null;
    }

    private static object FloorDiv(long a, long b, bool asInt)
    {
        if (b == 0)
        {
            throw new ExpressionException("ArithmeticException: / by zero");
        }

        var q = (long)Math.Floor((double)a / b);
        return asInt ? (object)(int)q : q;
    }

    private static object FloorMod(long a, long b, bool asInt)
    {
        if (b == 0)
        {
            throw new ExpressionException("ArithmeticException: / by zero");
        }

        var m = ((a % b) + b) % b;
        return asInt ? (object)(int)m : m;
    }
}
