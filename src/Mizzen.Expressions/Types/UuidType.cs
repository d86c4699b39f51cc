using System.Globalization;
using Mizzen.Expressions.Evaluation;
using static Mizzen.Expressions.Methods.MethodArguments;

namespace Mizzen.Expressions.Types;

/// <summary><c>java.util.UUID</c>: <c>randomUUID()</c>, <c>fromString(s)</c>, <c>new UUID(mostSigBits, leastSigBits)</c>.</summary>
internal sealed class UuidType : AllowedType
{
    public override string JavaName => "java.util.UUID";

    public override bool IsInstance(object? value) => value is JavaUuid;

    public override bool TryInvokeStatic(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("randomUUID", 0) => JavaUuid.Parse(Guid.NewGuid().ToString()),
            ("fromString", 1) => JavaUuid.Parse(Text(args, 0, name)),
            _ => null,
        };
        return result is not null;
    }

    public override object? Construct(object?[] args, EvaluationState state) =>
        args.Length == 2 ? new JavaUuid(Long(args, 0, "UUID"), Long(args, 1, "UUID")) : throw NoConstructor(args);
}

/// <summary>A UUID as two 64-bit halves, printed the way Java prints it.</summary>
internal sealed record JavaUuid(long MostSignificantBits, long LeastSignificantBits) : IJavaObject
{
    public string JavaTypeName => "java.util.UUID";

    public static JavaUuid Parse(string text)
    {
        var hex = text.Replace("-", "", StringComparison.Ordinal);
        if (hex.Length != 32 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new ExpressionException($"IllegalArgumentException: Invalid UUID string: {text}");
        }

        return new JavaUuid(
            long.Parse(hex[..16], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            long.Parse(hex[16..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    public bool TryInvoke(string name, object?[] args, EvaluationState state, out object? result)
    {
        result = (name, args.Length) switch
        {
            ("getMostSignificantBits", 0) => MostSignificantBits,
            ("getLeastSignificantBits", 0) => LeastSignificantBits,
            _ => null,
        };
        return result is not null;
    }

    public override string ToString()
    {
        var hex = MostSignificantBits.ToString("x16", CultureInfo.InvariantCulture) + LeastSignificantBits.ToString("x16", CultureInfo.InvariantCulture);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
